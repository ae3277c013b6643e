import { hash } from 'node:crypto';

import { dedupeKey } from '../dedupe/window';
import { MESSAGE_EVENT_PREFIX } from '../payload/eventId';
import { normalise, parseJsonBody } from '../payload/normalise';
import type { ConversationItem } from '../payload/output';
import type { TriggerSettings } from '../settings';
import { filterReason } from './filters';
import { humanRepliesIn, pausedUntil, type HumanReply, type PausedContacts } from './pause';
import { verifySignature } from './signature';

/** One HTTP request as the trigger sees it, stripped of n8n. */
export interface DeliveryInput {
	method: string;
	contentType: string | undefined;
	rawBody: Buffer | undefined;
	signatureHeader: string | string[] | undefined;
	receivedAt: Date;
}

/** What the verdict reads of the duplicate window: it records nothing (the handler commits). */
export interface SeenKeys {
	has(key: string, now: number): boolean;
}

export interface DeliveryConfig {
	settings: TriggerSettings;
	secret: string | undefined;
	seen: SeenKeys;
	/** Read only when Pause While a Human Replies is on. */
	paused?: PausedContacts;
}

const NO_PAUSES: PausedContacts = { endOf: () => undefined };

export type DeliveryVerdict =
	| { kind: 'rejected'; status: number; reason: string }
	/** Signatures are on but there is no secret to check them with: the trigger's fault, not the sender's. */
	| { kind: 'unverifiable' }
	/** Every verified delivery's `replies`: the human pauses it starts, for the handler to record. */
	| { kind: 'filtered'; reason: string; replies: HumanReply[] }
	| { kind: 'duplicate'; eventId: string; replies: HumanReply[] }
	/** Every message is from a contact a human is talking to: the latest end of their pauses. */
	| { kind: 'paused'; until: number; replies: HumanReply[] }
	/** `keys`: the duplicate-window keys of `items`, for the handler to record. */
	| {
			kind: 'accepted';
			items: ConversationItem[];
			keys: string[];
			parsed: unknown;
			replies: HumanReply[];
	  };

/*
 * application/json only, parameters allowed. n8n reads no body for application/*+json (the
 * trigger would see an empty one), so those are refused as a content type with a 415 that says
 * what to send, not answered "the body is empty".
 */
const JSON_TYPE = /^\s*application\/json\s*(;|$)/i;

const rejected = (status: number, reason: string): DeliveryVerdict => ({
	kind: 'rejected',
	status,
	reason,
});

/**
 * The hot path, pure: refuse what is not a JSON POST, verify the signature on the raw bytes,
 * parse, normalise, filter, drop duplicates (of the window and within the delivery). Records
 * nothing and never throws on any input.
 */
export function judgeDelivery(input: DeliveryInput, config: DeliveryConfig): DeliveryVerdict {
	const { settings } = config;
	if (input.method !== 'POST') return rejected(405, 'only POST is accepted');
	if (!JSON_TYPE.test(input.contentType ?? '')) {
		return rejected(415, 'the body must be JSON (Content-Type: application/json)');
	}
	const rawBody = input.rawBody;
	if (!rawBody || rawBody.length === 0) return rejected(400, 'the body is empty');

	if (settings.verifySignatures) {
		if (!config.secret?.trim()) return { kind: 'unverifiable' };
		const verdict = verifySignature({
			rawBody,
			header: input.signatureHeader,
			secret: config.secret,
			scheme: settings.signatureScheme,
		});
		if (!verdict.ok) return rejected(401, verdict.reason);
	}

	const parsed = parseJsonBody(rawBody.toString('utf8'));
	if (!parsed.ok) return rejected(400, parsed.reason);

	const { items } = normalise(parsed.value, { rawBody, receivedAt: input.receivedAt });
	const now = input.receivedAt.getTime();
	const replies = settings.humanPause ? humanRepliesIn(items, settings.humanPause, now) : [];
	let firstReason: string | null = null;
	const passing = items.filter((item) => {
		const reason = filterReason(item, settings);
		firstReason = firstReason ?? reason;
		return reason === null;
	});
	if (passing.length === 0) {
		return { kind: 'filtered', reason: firstReason ?? 'no message', replies };
	}

	const running = settings.humanPause
		? withoutPaused(passing, settings.humanPause.flag, config.paused ?? NO_PAUSES, replies, now)
		: { items: passing, until: undefined };
	if (running.items.length === 0) {
		return { kind: 'paused', until: running.until ?? now, replies };
	}

	const fresh: ConversationItem[] = [];
	const keys: string[] = [];
	const inThisDelivery = new Set<string>();
	let upgradeKey: string | undefined;
	for (const item of running.items) {
		if (item.eventId.startsWith(MESSAGE_EVENT_PREFIX)) {
			// Earlier versions keyed flat and legacy deliveries by their body's hash: a window
			// saved by one still knows the deliveries it ran (for its 24 hours).
			upgradeKey ??= dedupeKey(`sha256:${hash('sha256', rawBody, 'hex')}`);
			if (config.seen.has(upgradeKey, now)) continue;
		}
		const key = dedupeKey(item.eventId);
		if (config.seen.has(key, now) || inThisDelivery.has(key)) continue;
		inThisDelivery.add(key);
		fresh.push(item);
		keys.push(key);
	}
	if (fresh.length === 0) return { kind: 'duplicate', eventId: passing[0].eventId, replies };
	return { kind: 'accepted', items: fresh, keys, parsed: parsed.value, replies };
}

/** The items that run: paused contacts' left out, or flagged with `pausedUntil`. */
function withoutPaused(
	items: ConversationItem[],
	flag: boolean,
	book: PausedContacts,
	replies: HumanReply[],
	now: number,
): { items: ConversationItem[]; until: number | undefined } {
	const kept: ConversationItem[] = [];
	let latest: number | undefined;
	for (const item of items) {
		const until = pausedUntil(item, book, replies, now);
		if (until === undefined) kept.push(item);
		else if (flag) kept.push({ ...item, pausedUntil: new Date(until).toISOString() });
		else latest = Math.max(latest ?? 0, until);
	}
	return { items: kept, until: latest };
}
