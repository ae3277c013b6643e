import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { splitList } from '../../shared/lists';
import { WAITING_DURATION_PRESETS, type WebhookRecord } from '../../shared/webhookRecord';

export const SECRET_NOTE =
	"Shown once: WhatsAble never returns this secret again. Store it now (for example in the credential's Signature Secret).";

/** Used when schedule activity is switched on without a duration: the dashboard's usual pick. */
export const DEFAULT_WAITING_DURATION = 3600;

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Incoming Messages',
		value: 'incoming',
		description: 'Messages your contacts send to the business',
	},
	{
		name: 'Outgoing Messages',
		value: 'outgoing',
		description: 'Messages the business sends (WhatsApp Business app, inbox, automations, API)',
	},
];

// Built with map so the presets keep their natural (time) order instead of an alphabetical one.
export const WAITING_DURATION_OPTIONS: INodePropertyOptions[] = WAITING_DURATION_PRESETS.map(
	(p) => ({ name: p.name, value: p.value }),
);

export const WAITING_DURATION_DESCRIPTION =
	'How long a conversation must stay idle before the schedule activity fires, in seconds (one of the dashboard presets, e.g. 3600 for 1 hour)';

export function webhookIdField(description: string): INodeProperties {
	return {
		displayName: 'Webhook ID',
		name: 'webhookId',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description,
	};
}

/** The record as the node outputs it: camelCase names, the creation time as ISO 8601. */
export function toOutput(record: WebhookRecord): IDataObject {
	return {
		id: record.id,
		url: record.webhooks,
		enabled: record.status,
		incoming: record.incoming,
		outgoing: record.outgoing,
		scheduleActivity: record.schedule_activity,
		waitingDuration: record.waiting_duration,
		signed: record.active_signature,
		createdAt: record.created_at === null ? null : new Date(record.created_at).toISOString(),
		userId: record.user_id,
	};
}

/** toOutput plus the signature secret when the API handed it out (once, on create or sign-on). */
export function toOutputWithSecret(record: WebhookRecord): IDataObject {
	const output = toOutput(record);
	if (record.signature_secret) {
		output.signatureSecret = record.signature_secret;
		output.signatureSecretNote = SECRET_NOTE;
	}
	return output;
}

/** Booleans may arrive as strings when an AI agent or an expression fills the field. */
export function toBoolean(value: unknown, fallback: boolean): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false') return false;
	return fallback;
}

export function readWebhookId(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter('webhookId', itemIndex);
	const id = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
	if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
		throw new NodeOperationError(ctx.getNode(), `Webhook ID must be a positive whole number`, {
			itemIndex,
			description: `Got ${JSON.stringify(raw)}. Use the Get Many operation to list the webhooks and their IDs.`,
		});
	}
	return id;
}

export function readUrl(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const url = typeof raw === 'string' ? raw.trim() : '';
	let valid = false;
	try {
		const parsed = new URL(url);
		valid = parsed.protocol === 'http:' || parsed.protocol === 'https:';
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new NodeOperationError(ctx.getNode(), 'URL must be a full http:// or https:// address', {
			itemIndex,
			description: `Got ${JSON.stringify(raw)}. WhatsAble posts the messages to this address, e.g. https://example.com/whatsapp.`,
		});
	}
	return url;
}

/** Events as a multi-select, or as "incoming, outgoing" text from an expression or an agent. */
export function readEvents(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
): { incoming: boolean; outgoing: boolean } {
	const list = splitList(raw);
	const unknown = list.filter((e) => e !== 'incoming' && e !== 'outgoing');
	if (unknown.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `Unknown event "${unknown[0]}"`, {
			itemIndex,
			description: 'Events can be "incoming", "outgoing" or both.',
		});
	}
	if (list.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event', {
			itemIndex,
			description:
				'A webhook must receive incoming messages, outgoing messages, or both. To pause it instead, turn Enabled off.',
		});
	}
	return { incoming: list.includes('incoming'), outgoing: list.includes('outgoing') };
}

export function readWaitingDuration(
	ctx: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
): number {
	const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : raw;
	if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Waiting Duration must be a whole number of seconds',
			{
				itemIndex,
				description: `Got ${JSON.stringify(raw)}. Use one of the presets, e.g. 3600 for 1 hour.`,
			},
		);
	}
	return seconds;
}

/**
 * The error to throw for an item: n8n's own errors as they are (the transport's carry the
 * advice), with the failing item recorded; anything else wrapped so the UI shows the item.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), {
		itemIndex,
	});
}
