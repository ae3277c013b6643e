import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, IDataObject, INodeProperties } from 'n8n-workflow';

import { itemFor, type OperationExecute } from '../operation';
import { readBoolean } from '../../../shared/readers';

import { findWebhook, updateWebhook } from './api';
import { DEFAULT_WAITING_DURATION, EVENT_OPTIONS, WAITING_DURATION_OPTIONS } from './options';
import type { WebhookSettings } from './record';
import {
	readEvents,
	readUrl,
	readWaitingDuration,
	readWebhookId,
	returnSigningSecretProperty,
	toOutputWithSecret,
	WAITING_DURATION_DESCRIPTION,
	webhookIdField,
} from './fields';
import { webhookWithSecretOutputSchema } from './output';

const FIELD_NAMES = [
	'enabled',
	'events',
	'scheduleActivity',
	'signDeliveries',
	'url',
	'waitingDuration',
] as const;

export const properties: INodeProperties[] = [
	webhookIdField('The numeric ID of the webhook to change, as returned by Create or Get Many'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The settings to change (at least one). Settings not added here keep their current values.',
		options: [
			{
				displayName: 'Enabled',
				name: 'enabled',
				type: 'boolean',
				default: true,
				description: 'Whether WhatsAble delivers to the webhook (off pauses it)',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['incoming'],
				options: EVENT_OPTIONS,
				description:
					'Which messages are delivered to the URL: "incoming", "outgoing" or both (at least one). Replaces the current choice.',
			},
			{
				displayName: 'Schedule Activity',
				name: 'scheduleActivity',
				type: 'boolean',
				default: false,
				description:
					'Whether to also deliver a schedule-activity event when a conversation has been idle for the waiting duration. Turned on without a Waiting Duration, the current duration is kept (1 hour if it had none).',
			},
			{
				displayName: 'Sign Deliveries',
				name: 'signDeliveries',
				type: 'boolean',
				default: true,
				description:
					'Whether WhatsAble signs each delivery (X-Webhook-Signature header). When signing is turned on, WhatsAble returns the secret once; see Return Signing Secret.',
			},
			{
				displayName: 'URL',
				name: 'url',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/whatsapp',
				description:
					'The new http:// or https:// address WhatsAble posts the messages to. Each URL can be registered only once per account.',
			},
			{
				displayName: 'Waiting Duration',
				name: 'waitingDuration',
				type: 'options',
				default: DEFAULT_WAITING_DURATION,
				options: WAITING_DURATION_OPTIONS,
				description: `${WAITING_DURATION_DESCRIPTION}. Setting it turns Schedule Activity on unless Schedule Activity is set to off.`,
			},
		],
	},
	returnSigningSecretProperty,
];

/** Its item, for the editor's `__schema__` file. */
export const output = webhookWithSecretOutputSchema;

/** Only the fields the user added; everything else is left for the transport's merge. */
async function changesFrom(
	ctx: IExecuteFunctions,
	id: number,
	fields: IDataObject,
	itemIndex: number,
): Promise<Partial<WebhookSettings>> {
	const changes: Partial<WebhookSettings> = {};
	if (fields.url !== undefined) changes.webhooks = readUrl(ctx, fields.url, itemIndex);
	if (fields.events !== undefined)
		Object.assign(changes, readEvents(ctx, fields.events, itemIndex));
	if (fields.enabled !== undefined) changes.status = readBoolean(fields.enabled, true);
	if (fields.signDeliveries !== undefined) {
		changes.active_signature = readBoolean(fields.signDeliveries, true);
	}

	const duration =
		fields.waitingDuration !== undefined
			? readWaitingDuration(ctx, fields.waitingDuration, itemIndex)
			: undefined;
	// A duration alone would be zeroed by the transport while schedule activity is off,
	// silently dropping what the user asked for: setting one implies switching it on.
	const scheduleOn =
		fields.scheduleActivity !== undefined
			? readBoolean(fields.scheduleActivity, false)
			: duration !== undefined
				? true
				: undefined;
	if (scheduleOn !== undefined) changes.schedule_activity = scheduleOn;
	if (scheduleOn && duration !== undefined) changes.waiting_duration = duration;
	if (scheduleOn && duration === undefined) {
		// Switched on without a duration: keep the current one, or the default when it has none
		// (the API would otherwise fire after 0 seconds).
		const current = await findWebhook(ctx, id);
		if (current && current.waiting_duration <= 0)
			changes.waiting_duration = DEFAULT_WAITING_DURATION;
	}
	return changes;
}

export const execute: OperationExecute = async function (itemIndex) {
	const id = readWebhookId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (!FIELD_NAMES.some((name) => fields[name] !== undefined)) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description:
				'Add at least one field under Update Fields (URL, Events, Enabled, Schedule Activity, Waiting Duration or Sign Deliveries).',
		});
	}
	const changes = await changesFrom(this, id, fields, itemIndex);
	const record = await updateWebhook(this, id, changes);
	return [itemFor(toOutputWithSecret(this, record, itemIndex), itemIndex)];
};
