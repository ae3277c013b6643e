import type { INodeProperties } from 'n8n-workflow';

import {
	EVENT_OPTIONS,
	waitingDurationProperty,
} from '../../WhatsAbleWebhooks/actions/webhook/options';
import { MAX_PAUSE_MS } from '../pause/book';
import { RAW_BODY_KEY } from '../payload/rawItem';

const MESSAGE_TYPES = [
	{ name: 'Audio', value: 'audio' },
	{ name: 'Document', value: 'document' },
	{ name: 'Image', value: 'image' },
	{ name: 'Location', value: 'location' },
	{ name: 'Text', value: 'text' },
	{ name: 'Video', value: 'video' },
];

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Publish the workflow to register its URL with WhatsAble; unpublish it to remove the registration',
		name: 'registrationNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName:
			'If this workflow is published, listening for a test event runs the published version too: WhatsAble delivers each message to both URLs',
		name: 'testListenNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['incoming'],
		description: 'Which WhatsApp messages start the workflow',
		options: EVENT_OPTIONS,
	},
	{
		displayName: 'Ignore Automated Messages',
		name: 'ignoreAutomatedOutgoing',
		type: 'boolean',
		default: true,
		displayOptions: { show: { events: ['outgoing'] } },
		description:
			'Whether to skip outgoing messages that an automation (not a person) sent, so a workflow that answers cannot trigger itself in a loop',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'message',
		options: [
			{
				name: 'Message',
				value: 'message',
				description: 'One item per delivery: the new message, the contact and the conversation',
			},
			{
				name: 'History',
				value: 'history',
				description: 'One item per message of the conversation history sent with the delivery',
			},
			{
				name: 'Raw Body',
				value: 'raw',
				description: `The verified delivery body as WhatsAble sent it. A body that is not a JSON object (a list, text, number, true/false or null) comes under the key "${RAW_BODY_KEY}", as n8n items must be objects.`,
			},
		],
	},
	{
		displayName: 'Verify Signatures',
		name: 'verifySignatures',
		type: 'boolean',
		default: true,
		description:
			'Whether to register the webhook with signing on and reject deliveries whose X-Webhook-Signature does not match (401)',
	},
	{
		displayName: 'Respond',
		name: 'respond',
		type: 'options',
		default: 'immediately',
		options: [
			{
				name: 'Immediately',
				value: 'immediately',
				description: 'Answer 200 at once (WhatsAble wants an answer within 10 seconds)',
			},
			{
				name: 'When Last Node Finishes',
				value: 'lastNode',
				description: 'Answer with the data of the last node executed',
			},
			{
				name: "Using 'Respond to Webhook' Node",
				value: 'responseNode',
				description:
					"Answer from a 'Respond to Webhook' node. Use that node's version 1: its later versions work only after n8n's own Webhook, Form and Chat triggers.",
			},
		],
	},
	{
		displayName: 'Wait for the Contact to Pause',
		name: 'combineBursts',
		type: 'boolean',
		default: false,
		displayOptions: { show: { output: ['message'], respond: ['immediately'] } },
		description:
			'Whether messages a contact sends in quick succession start ONE execution together, once the contact has stopped typing for the quiet time. A burst is held at most 7 seconds from its first message, so WhatsAble (which wants an answer within 10 seconds) gets one in time.',
	},
	{
		displayName: 'Quiet Time (Seconds)',
		name: 'quietSeconds',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 1, maxValue: 5 },
		displayOptions: {
			show: { combineBursts: [true], output: ['message'], respond: ['immediately'] },
		},
		description:
			'How long the contact must stay silent before their messages run. At most 5 seconds; a burst never waits longer than 7 seconds in all.',
	},
	{
		displayName: 'Pause While a Human Replies',
		name: 'humanPause',
		type: 'boolean',
		default: false,
		description:
			"Whether a contact's incoming messages stop starting the workflow for a while after a teammate (the inbox or the WhatsApp Business app, not an automation) writes to them. Registers for outgoing messages too; they start the workflow only if Events includes them.",
	},
	{
		displayName: 'Pause Length (Minutes)',
		name: 'humanPauseMinutes',
		type: 'number',
		default: 30,
		// The longest pause the book accepts from a saved copy is the longest a user may set.
		typeOptions: { minValue: 0.1, maxValue: MAX_PAUSE_MS / 60_000, numberPrecision: 1 },
		displayOptions: { show: { humanPause: [true] } },
		description:
			"How long after a human's last message to the contact the pause lasts; each new human message starts it again",
	},
	{
		displayName: 'While Paused',
		name: 'whilePaused',
		type: 'options',
		default: 'skip',
		displayOptions: { show: { humanPause: [true] } },
		options: [
			{
				name: 'Start No Execution',
				value: 'skip',
				description: 'Answer WhatsAble 200 "paused" and run nothing',
			},
			{
				name: 'Run, Flagged',
				value: 'flag',
				description: 'Run as usual; the item carries "pausedUntil" (when the pause ends)',
			},
		],
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Deliveries that do not pass get a 200 and start no execution',
		options: [
			{
				displayName: 'Labels (Any Of)',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'sales, support',
				description:
					'Comma-separated labels; only conversations carrying at least one of them start the workflow',
			},
			{
				displayName: 'Message Types',
				name: 'messageTypes',
				type: 'multiOptions',
				default: [],
				options: MESSAGE_TYPES,
				description: 'Only these message types start the workflow (none chosen: all types)',
			},
			{
				displayName: 'Only Sent by a Human',
				name: 'onlyHuman',
				type: 'boolean',
				default: false,
				description: 'Whether to only start for messages a person wrote (not automations)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryProperty',
				type: 'string',
				default: 'attachment',
				displayOptions: { show: { downloadAttachment: [true] } },
				description: 'Name of the binary property the downloaded attachment is stored in',
			},
			{
				displayName: 'Download Attachment',
				name: 'downloadAttachment',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the message attachment (image, audio, video, document) into binary data. Media links expire after 24 hours.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRawPayload',
				type: 'boolean',
				default: false,
				description: 'Whether to add the delivery body as WhatsAble sent it under "raw"',
			},
			{
				displayName: 'Max Attachment Size (MB)',
				name: 'maxAttachmentMb',
				type: 'number',
				default: 25,
				typeOptions: { minValue: 1, maxValue: 100 },
				displayOptions: { show: { downloadAttachment: [true] } },
				description:
					'Per attachment: larger ones are not downloaded, and the item gets an attachmentError. A delivery with several attachments downloads two at a time, at most twice this size in all, within 8 seconds.',
			},
			{
				displayName: 'Schedule Activity',
				name: 'scheduleActivity',
				type: 'boolean',
				default: false,
				description:
					'Whether WhatsAble should also call the workflow when a conversation has been idle for the waiting duration',
			},
			{
				displayName: 'Signature Scheme',
				name: 'signatureScheme',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'Auto (Either)', value: 'auto', description: 'Accept either scheme' },
					{
						name: 'HMAC-SHA256 of Body',
						value: 'hmac',
						description: 'The header is the hex HMAC-SHA256 of the raw body (optionally "sha256=")',
					},
					{
						name: 'Shared Secret',
						value: 'secret',
						description: 'The header carries the signature secret itself',
					},
				],
				description: 'Which X-Webhook-Signature scheme to accept',
			},
			waitingDurationProperty(
				'How long a conversation must be idle before the schedule activity fires',
			),
		],
	},
];
