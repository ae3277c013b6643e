import { NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { splitList } from '../shared/lists';
import { readBoolean } from '../shared/readers';
import { DEFAULT_WAITING_DURATION } from '../WhatsAbleWebhooks/actions/webhook/options';
import type { WebhookSettings } from '../WhatsAbleWebhooks/actions/webhook/record';
import type { SignatureScheme } from './signature';

export type OutputMode = 'message' | 'history' | 'raw';
export type RespondMode = 'immediately' | 'lastNode' | 'responseNode';

/** Everything the trigger's parameters decide, read once and typed. */
export interface TriggerSettings {
	incoming: boolean;
	outgoing: boolean;
	verifySignatures: boolean;
	signatureScheme: SignatureScheme;
	scheduleActivity: boolean;
	waitingDuration: number;
	output: OutputMode;
	respond: RespondMode;
	ignoreAutomatedOutgoing: boolean;
	messageTypes: string[];
	labels: string[];
	onlyHuman: boolean;
	includeRawPayload: boolean;
	downloadAttachment: boolean;
	binaryProperty: string;
	maxAttachmentBytes: number;
}

type ParamContext = Pick<IHookFunctions | IWebhookFunctions, 'getNodeParameter' | 'getNode'>;

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
	return allowed.includes(value as T) ? (value as T) : fallback;
}

function record(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

export function readSettings(ctx: ParamContext): TriggerSettings {
	const events = splitList(ctx.getNodeParameter('events', ['incoming']));
	const options = record(ctx.getNodeParameter('options', {}));
	const filters = record(ctx.getNodeParameter('filters', {}));
	const outgoing = events.includes('outgoing');
	const scheduleActivity = readBoolean(options.scheduleActivity, false);
	return {
		incoming: events.includes('incoming'),
		outgoing,
		verifySignatures: readBoolean(ctx.getNodeParameter('verifySignatures', true), true),
		signatureScheme: pick(options.signatureScheme, ['auto', 'hmac', 'secret'], 'auto'),
		scheduleActivity,
		waitingDuration: scheduleActivity
			? Math.max(0, Math.trunc(Number(options.waitingDuration ?? DEFAULT_WAITING_DURATION)))
			: 0,
		output: pick(
			ctx.getNodeParameter('output', 'message'),
			['message', 'history', 'raw'],
			'message',
		),
		respond: pick(
			ctx.getNodeParameter('respond', 'immediately'),
			['immediately', 'lastNode', 'responseNode'],
			'immediately',
		),
		ignoreAutomatedOutgoing:
			outgoing && readBoolean(ctx.getNodeParameter('ignoreAutomatedOutgoing', true), true),
		messageTypes: splitList(filters.messageTypes).map((t) => t.toLowerCase()),
		labels: splitList(filters.labels).map((l) => l.toLowerCase()),
		onlyHuman: readBoolean(filters.onlyHuman, false),
		includeRawPayload: readBoolean(options.includeRawPayload, false),
		downloadAttachment: readBoolean(options.downloadAttachment, false),
		binaryProperty: String(options.binaryProperty ?? 'attachment') || 'attachment',
		maxAttachmentBytes: Math.max(1, Number(options.maxAttachmentMb ?? 25)) * 1024 * 1024,
	};
}

/** The registration these settings want at `url`. */
export function desiredRegistration(
	ctx: ParamContext,
	settings: TriggerSettings,
	url: string,
): WebhookSettings {
	if (!settings.incoming && !settings.outgoing) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event', {
			description: 'Select Incoming Messages, Outgoing Messages or both in "Events".',
		});
	}
	return {
		webhooks: url,
		status: true,
		incoming: settings.incoming,
		outgoing: settings.outgoing,
		schedule_activity: settings.scheduleActivity,
		waiting_duration: settings.waitingDuration,
		active_signature: settings.verifySignatures,
	};
}
