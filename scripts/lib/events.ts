/**
 * Deliveries for the benchmarks and reliability tests: the sample fixtures and the sandbox's
 * generated payloads, each turned into as many DISTINCT events as needed (so the duplicate
 * window never short-circuits), signed the way WhatsAble signs (hex HMAC-SHA256 of the body).
 */
import { randomBytes } from 'node:crypto';

import { normalise } from '../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { buildFlatPayload } from '../../sandbox';
import { fixturePayloads } from './fixtures';
import { hmacHex } from './signing';

type JsonObject = Record<string, unknown>;

/** The 20-message case of the hot-path benchmark. */
export const HISTORY_CASE = 'history-20 (sandbox buildFlatPayload)';

export interface NamedPayload {
	name: string;
	body: JsonObject;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The sample deliveries (test/fixtures, through its locator) as parsed objects, named without `.json`. */
export function fixtureBodies(): NamedPayload[] {
	return fixturePayloads().map(({ name, bytes }) => {
		const body: unknown = JSON.parse(bytes.toString('utf8'));
		if (!isObject(body)) throw new Error(`${name} is not a JSON object`);
		return { name: name.replace(/\.json$/, ''), body };
	});
}

/** A secret like WhatsAble's: 1024 random bits as base64url (171 characters). */
export function newSecret(): string {
	return randomBytes(128).toString('base64url');
}

function touchHistory(target: JsonObject, i: number, iso: string): void {
	const raw = target.last_messages;
	const asString = typeof raw === 'string';
	let items: unknown = raw;
	if (asString) {
		try {
			items = JSON.parse(raw);
		} catch {
			return;
		}
	}
	if (!Array.isArray(items) || items.length === 0 || !isObject(items[0])) return;
	const first = items[0];
	first.timestamp = iso;
	if (typeof first.content === 'string' && first.content !== '')
		first.content = `${first.content} #${i}`;
	// The message the trigger keys a flat or legacy delivery by is that side's last message and
	// time: both sides' change, whichever the first history entry is.
	const seconds = Math.floor(Date.parse(iso) / 1000);
	for (const key of ['user_last_message_time', 'bot_last_message_time', 'user_timestamp', 'bot_timestamp']) {
		if (typeof target[key] === 'number') target[key] = seconds;
	}
	for (const key of ['last_message_of_user', 'last_message_of_bot']) {
		const text = target[key];
		if (typeof text === 'string' && text !== '') target[key] = `${text} #${i}`;
	}
	target.last_messages = asString ? JSON.stringify(items) : items;
}

/** Meta's envelope: each message and status id gets the variant's number (they are the event ids). */
function touchMeta(target: JsonObject, i: number): void {
	if (!Array.isArray(target.entry)) return;
	for (const entry of target.entry) {
		if (!isObject(entry) || !Array.isArray(entry.changes)) continue;
		for (const change of entry.changes) {
			const value = isObject(change) ? change.value : undefined;
			if (!isObject(value)) continue;
			for (const list of [value.messages, value.statuses]) {
				if (!Array.isArray(list)) continue;
				for (const m of list) if (isObject(m) && typeof m.id === 'string') m.id = `${m.id}-${i}`;
			}
		}
	}
}

/**
 * Variant `i` of a delivery: the same shape and nearly the same size, but a different event
 * (v2 `event_id`, Meta's message ids, the newest message's time and text, the contact's
 * last-message time).
 */
export function variant(base: JsonObject, i: number, t0 = Date.UTC(2026, 0, 1)): JsonObject {
	const out = structuredClone(base);
	const iso = new Date(t0 + i * 1000).toISOString();
	if (typeof out.event_id === 'string') out.event_id = `${out.event_id}-${i}`;
	if (typeof out.timestamp === 'string') out.timestamp = iso;
	touchHistory(out, i, iso);
	touchMeta(out, i);
	const data = out.data;
	if (isObject(data)) {
		touchHistory(data, i, iso);
		const message = data.message;
		if (isObject(message)) {
			message.timestamp = iso;
			if (typeof message.content === 'string' && message.content !== '')
				message.content = `${message.content} #${i}`;
		}
	}
	return out;
}

export interface SignedDelivery {
	body: Buffer;
	signature: string;
}

/** `count` distinct signed deliveries built from `base`, numbered from `first`. */
export function signedVariants(
	base: JsonObject,
	count: number,
	secret: string,
	{ first = 0, t0 }: { first?: number; t0?: number } = {},
): SignedDelivery[] {
	const out: SignedDelivery[] = [];
	for (let n = 0; n < count; n++) {
		const body = Buffer.from(JSON.stringify(variant(base, first + n, t0)), 'utf8');
		out.push({ body, signature: hmacHex(body, secret) });
	}
	return out;
}

/** The sandbox's current flat delivery with `historyLength` messages, at a fixed time. */
export function flatPayload(historyLength: number, text?: string): JsonObject {
	return buildFlatPayload({ historyLength, text, now: new Date(Date.UTC(2026, 0, 1, 12)) });
}

/** The eventId the trigger gives a one-message delivery (for reports that name messages). */
export function eventIdOf(body: string | Buffer): string {
	const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
	const { items } = normalise(JSON.parse(bytes.toString('utf8')), { rawBody: bytes, receivedAt: new Date() });
	return items[0]?.eventId ?? '';
}
