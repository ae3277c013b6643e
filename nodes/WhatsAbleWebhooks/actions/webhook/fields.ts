import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { splitList } from '../../../shared/lists';
import { asPositiveInteger, readBoolean } from '../../../shared/readers';
import type { WebhookRecord } from './record';
import type { WebhookOutput, WebhookWithSecretOutput } from './output';

/* The webhook resource's shared parameters, readers and output form. */

export const SECRET_NOTE =
	"Shown once: WhatsAble never returns this secret again. Store it now (for example in the credential's Signature Secret).";

export const SECRET_WITHHELD_NOTE =
	'WhatsAble returned a signing secret once; it is not in this output because Return Signing Secret is off. It cannot be fetched again: to get one, turn the option on and create the webhook again (or turn signing off and on with Update).';

/**
 * Off by default: n8n stores node output in the execution data, where everyone who can read the
 * workflow's executions would find the secret and could forge deliveries.
 */
export const returnSigningSecretProperty: INodeProperties = {
	displayName: 'Return Signing Secret',
	name: 'returnSigningSecret',
	type: 'boolean',
	default: false,
	description:
		"Whether to put the signing secret WhatsAble returns (once, when signing is switched on) into this node's output. Warning: n8n saves node output in the execution data, so anyone who can read this workflow's executions can then read the secret and forge deliveries. Turn on only to copy the secret, then turn it off and delete that execution.",
};

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
export function toOutput(record: WebhookRecord): WebhookOutput {
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

/**
 * toOutput for an answer that may carry the signature secret (create, sign-on): the secret only
 * when the user asked for it (Return Signing Secret), otherwise a note that it was withheld.
 */
export function toOutputWithSecret(
	ctx: IExecuteFunctions,
	record: WebhookRecord,
	itemIndex: number,
): WebhookWithSecretOutput {
	const output: WebhookWithSecretOutput = toOutput(record);
	if (!record.signature_secret) return output;
	if (readBoolean(ctx.getNodeParameter('returnSigningSecret', itemIndex, false), false)) {
		output.signatureSecret = record.signature_secret;
		output.signatureSecretNote = SECRET_NOTE;
	} else {
		output.signatureSecretNote = SECRET_WITHHELD_NOTE;
	}
	return output;
}

export function readWebhookId(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw = ctx.getNodeParameter('webhookId', itemIndex);
	const id = asPositiveInteger(raw);
	if (id === undefined) {
		throw new NodeOperationError(ctx.getNode(), `Webhook ID must be a positive whole number`, {
			itemIndex,
			description: `Got ${JSON.stringify(raw)}. Give the ID as digits only, e.g. 42. Use the Get Many operation to list the webhooks and their IDs.`,
		});
	}
	return id;
}

/*
 * C0 and C1 controls and DEL. WHATWG URL parsing drops tabs and line breaks, so a parse check
 * passes them, but the text as typed is what WhatsAble would register.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;

export function readUrl(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const url = typeof raw === 'string' ? raw.trim() : '';
	const control = CONTROL_CHARACTER.exec(url);
	if (control) {
		// Refused rather than cleaned: the address the user meant is not certain.
		const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
		throw new NodeOperationError(
			ctx.getNode(),
			'URL contains a control character (such as a line break or tab)',
			{
				itemIndex,
				description: `Remove it: got ${JSON.stringify(raw)}, which holds U+${code}. WhatsAble would register the address with that character in it.`,
			},
		);
	}
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
	const seconds = asPositiveInteger(raw);
	if (seconds === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Waiting Duration must be a whole number of seconds',
			{
				itemIndex,
				description: `Got ${JSON.stringify(raw)}. Give the seconds as digits only, using one of the presets, e.g. 3600 for 1 hour.`,
			},
		);
	}
	return seconds;
}
