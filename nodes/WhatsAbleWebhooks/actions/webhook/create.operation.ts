import type { INodeProperties } from 'n8n-workflow';

import { itemFor, type OperationExecute } from '../operation';
import { readBoolean } from '../../../shared/readers';

import { createWebhook } from './api';
import { DEFAULT_WAITING_DURATION, EVENT_OPTIONS, waitingDurationProperty } from './options';
import {
	readEvents,
	readUrl,
	readWaitingDuration,
	returnSigningSecretProperty,
	toOutputWithSecret,
	WAITING_DURATION_DESCRIPTION,
} from './fields';
import { webhookWithSecretOutputSchema } from './output';

export const properties: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/whatsapp',
		description:
			'The http:// or https:// address WhatsAble posts the messages to. Each URL can be registered only once per account.',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['incoming'],
		options: EVENT_OPTIONS,
		description:
			'Which messages are delivered to the URL: "incoming", "outgoing" or both (at least one)',
	},
	{
		displayName: 'Enabled',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description: 'Whether WhatsAble delivers to the webhook right away (off creates it paused)',
	},
	{
		displayName: 'Schedule Activity',
		name: 'scheduleActivity',
		type: 'boolean',
		default: false,
		description:
			'Whether to also deliver a schedule-activity event when a conversation has been idle for the waiting duration',
	},
	waitingDurationProperty(WAITING_DURATION_DESCRIPTION),
	{
		displayName: 'Sign Deliveries',
		name: 'signDeliveries',
		type: 'boolean',
		default: true,
		description:
			'Whether WhatsAble signs each delivery (X-Webhook-Signature header). WhatsAble returns the signing secret once, on create; see Return Signing Secret.',
	},
	{ ...returnSigningSecretProperty, displayOptions: { show: { signDeliveries: [true] } } },
];

/** Its item, for the editor's `__schema__` file. */
export const output = webhookWithSecretOutputSchema;

export const execute: OperationExecute = async function (itemIndex) {
	const url = readUrl(this, this.getNodeParameter('url', itemIndex), itemIndex);
	const { incoming, outgoing } = readEvents(
		this,
		this.getNodeParameter('events', itemIndex),
		itemIndex,
	);
	const scheduleActivity = readBoolean(
		this.getNodeParameter('scheduleActivity', itemIndex, false),
		false,
	);
	const waitingDuration = scheduleActivity
		? readWaitingDuration(
				this,
				this.getNodeParameter('waitingDuration', itemIndex, DEFAULT_WAITING_DURATION),
				itemIndex,
			)
		: 0;
	const record = await createWebhook(this, {
		webhooks: url,
		status: readBoolean(this.getNodeParameter('enabled', itemIndex, true), true),
		incoming,
		outgoing,
		schedule_activity: scheduleActivity,
		waiting_duration: waitingDuration,
		active_signature: readBoolean(this.getNodeParameter('signDeliveries', itemIndex, true), true),
	});
	return [itemFor(toOutputWithSecret(this, record, itemIndex), itemIndex)];
};
