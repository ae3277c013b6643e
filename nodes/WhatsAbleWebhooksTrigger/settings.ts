import { NodeOperationError, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { splitList } from '../shared/lists';
import { readBoolean } from '../shared/readers';
import type { WebhookSettings } from '../WhatsAbleWebhooks/actions/webhook/record';
import type { SignatureScheme } from './delivery/signature';
import { triggerProperties } from './description/parameters';

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
	/** Wait for the Contact to Pause; null when off (or with another Output or Respond). */
	burst: { quietMs: number } | null;
	/** Pause While a Human Replies; null when off. */
	humanPause: HumanPause | null;
}

export interface HumanPause {
	lengthMs: number;
	/** Run paused messages with `pausedUntil` instead of starting nothing. */
	flag: boolean;
}

type ParamContext = Pick<IHookFunctions | IWebhookFunctions, 'getNodeParameter' | 'getNode'>;

/*
 * The parameters' descriptions (description/parameters.ts) are the one source of every default:
 * the editor shows them, and the reader falls back to them.
 */
const DEFAULTS = new Map<string, unknown>();
/** The collection (Filters or Options) each entry lives in. */
const COLLECTION_OF = new Map<string, string>();
for (const property of triggerProperties) {
	DEFAULTS.set(property.name, property.default);
	for (const option of property.options ?? []) {
		if (!('default' in option && 'name' in option)) continue;
		DEFAULTS.set(option.name, option.default);
		COLLECTION_OF.set(option.name, property.name);
	}
}

/** The editor's bounds of a top-level number parameter (its typeOptions). */
function rangeOf(name: string): { min: number; max: number } {
	const options = triggerProperties.find((p) => p.name === name)?.typeOptions;
	return { min: Number(options?.minValue ?? 0), max: Number(options?.maxValue ?? Infinity) };
}

/** The default of a parameter or of a Filters / Options entry, as the editor shows it. */
export function defaultOf(name: string): unknown {
	return DEFAULTS.get(name);
}

function record(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

/** Reads one top-level parameter, its default when unset. */
type ParameterReader = (name: string) => unknown;

/** The settings that parameter values give; unset and unusable values take their defaults. */
export function settingsFrom(parameter: ParameterReader): TriggerSettings {
	const collections = new Map<string, Record<string, unknown>>();
	const valueOf = (name: string): unknown => {
		const collection = COLLECTION_OF.get(name);
		if (collection === undefined) return parameter(name);
		if (!collections.has(collection)) collections.set(collection, record(parameter(collection)));
		return collections.get(collection)?.[name];
	};
	const flag = (name: string): boolean =>
		readBoolean(valueOf(name) ?? defaultOf(name), defaultOf(name) === true);
	const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
		const value = valueOf(name) ?? defaultOf(name);
		return allowed.includes(value as T) ? (value as T) : (defaultOf(name) as T);
	};
	const numberOf = (name: string): number => Number(valueOf(name) ?? defaultOf(name));

	const events = splitList(parameter('events'));
	const outgoing = events.includes('outgoing');
	const scheduleActivity = flag('scheduleActivity');
	const output = oneOf<OutputMode>('output', ['message', 'history', 'raw']);
	const respond = oneOf<RespondMode>('respond', ['immediately', 'lastNode', 'responseNode']);
	return {
		incoming: events.includes('incoming'),
		outgoing,
		verifySignatures: flag('verifySignatures'),
		signatureScheme: oneOf('signatureScheme', ['auto', 'hmac', 'secret']),
		scheduleActivity,
		waitingDuration: scheduleActivity ? Math.max(0, Math.trunc(numberOf('waitingDuration'))) : 0,
		output,
		respond,
		ignoreAutomatedOutgoing: outgoing && flag('ignoreAutomatedOutgoing'),
		messageTypes: splitList(valueOf('messageTypes')).map((t) => t.toLowerCase()),
		labels: splitList(valueOf('labels')).map((l) => l.toLowerCase()),
		onlyHuman: flag('onlyHuman'),
		includeRawPayload: flag('includeRawPayload'),
		downloadAttachment: flag('downloadAttachment'),
		binaryProperty: String(valueOf('binaryProperty') ?? '') || String(defaultOf('binaryProperty')),
		maxAttachmentBytes: Math.max(1, numberOf('maxAttachmentMb')) * 1024 * 1024,
		// Bursts need Output "Message" and Respond "Immediately" (the editor shows the option only then).
		burst:
			output === 'message' && respond === 'immediately' && flag('combineBursts')
				? burstFrom(numberOf('quietSeconds'))
				: null,
		humanPause: flag('humanPause')
			? humanPauseFrom(numberOf('humanPauseMinutes'), oneOf('whilePaused', ['skip', 'flag']))
			: null,
	};
}

/** A number parameter kept within the bounds the editor gives it; its default when unusable. */
function withinRange(name: string, value: number): number {
	const { min, max } = rangeOf(name);
	const usable = Number.isFinite(value) ? value : Number(defaultOf(name));
	return Math.min(Math.max(usable, min), max);
}

function burstFrom(quietSeconds: number): { quietMs: number } {
	return { quietMs: Math.round(withinRange('quietSeconds', quietSeconds) * 1000) };
}

function humanPauseFrom(minutes: number, whilePaused: 'skip' | 'flag'): HumanPause {
	const usable = minutes > 0 ? minutes : Number(defaultOf('humanPauseMinutes'));
	return {
		lengthMs: Math.round(withinRange('humanPauseMinutes', usable) * 60_000),
		flag: whilePaused === 'flag',
	};
}

const COLLECTION_DEFAULT = {};

export function readSettings(ctx: ParamContext): TriggerSettings {
	return settingsFrom((name) => ctx.getNodeParameter(name, defaultOf(name) ?? COLLECTION_DEFAULT));
}

/** The settings of a trigger left at its defaults, with `overrides` (bench and tests). */
export function defaultSettings(overrides: Partial<TriggerSettings> = {}): TriggerSettings {
	return { ...settingsFrom(defaultOf), ...overrides };
}

/** The registration these settings want at `url`. */
export function registrationSettings(settings: TriggerSettings, url: string): WebhookSettings {
	return {
		webhooks: url,
		status: true,
		incoming: settings.incoming,
		// The pause learns of a human's reply from the outgoing delivery.
		outgoing: settings.outgoing || settings.humanPause !== null,
		schedule_activity: settings.scheduleActivity,
		waiting_duration: settings.waitingDuration,
		active_signature: settings.verifySignatures,
	};
}

/** The registration these settings want at `url`; an error that says what to fix without an event. */
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
	return registrationSettings(settings, url);
}
