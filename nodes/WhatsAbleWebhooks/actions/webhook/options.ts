import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What a webhook can deliver, as both nodes offer it. `action` names the trigger's entries in
 * n8n's nodes panel (which lists the trigger's Events options as its triggers).
 */
export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Incoming Messages',
		value: 'incoming',
		action: 'On incoming WhatsApp message',
		description: 'WhatsApp messages your contacts send to the business',
	},
	{
		name: 'Outgoing Messages',
		value: 'outgoing',
		action: 'On outgoing WhatsApp message',
		description: 'Messages the business sends (WhatsApp Business app, inbox, automations, API)',
	},
];

/** Dashboard presets for the schedule-activity waiting duration, in seconds, in time order. */
export const WAITING_DURATION_OPTIONS: INodePropertyOptions[] = [
	{ name: '15 Seconds', value: 15 },
	{ name: '30 Seconds', value: 30 },
	{ name: '1 Minute', value: 60 },
	{ name: '30 Minutes', value: 1800 },
	{ name: '1 Hour', value: 3600 },
	{ name: '5 Hours', value: 18000 },
	{ name: '10 Hours', value: 36000 },
	{ name: '1 Day', value: 86400 },
	{ name: '2 Days', value: 172800 },
	{ name: '3 Days', value: 259200 },
	{ name: '5 Days', value: 432000 },
	{ name: '1 Week', value: 604800 },
	{ name: '2 Weeks', value: 1209600 },
	{ name: '30 Days', value: 2592000 },
	{ name: '60 Days', value: 5184000 },
];

/** Used when schedule activity is on without a duration: the dashboard's usual pick. */
export const DEFAULT_WAITING_DURATION = 3600;

/** The Waiting Duration parameter, shown when Schedule Activity is on. */
export function waitingDurationProperty(description: string): INodeProperties {
	return {
		displayName: 'Waiting Duration',
		name: 'waitingDuration',
		type: 'options',
		default: DEFAULT_WAITING_DURATION,
		options: WAITING_DURATION_OPTIONS,
		displayOptions: { show: { scheduleActivity: [true] } },
		description,
	};
}
