import { hash } from 'node:crypto';

import { dateToIso, isoFromMs, textOrNull } from './coerce';
import type { HistoryMessage, Referral } from './input';
import type { ConversationItem, HistoryEntry } from './output';

export type NormaliseContext = { rawBody: string | Buffer; receivedAt: Date };

/** Pieces every mapper needs, computed at most once per delivery. */
export class DeliveryContext {
	readonly receivedAt: string;
	private digest: string | undefined;

	constructor(private readonly ctx: NormaliseContext) {
		const time = ctx.receivedAt instanceof Date ? ctx.receivedAt.getTime() : Number.NaN;
		this.receivedAt = isoFromMs(time) ?? new Date().toISOString();
	}

	/**
	 * The fallback event id; hashed lazily because v2 and Meta deliveries carry their own. The
	 * one-shot `hash` skips the Hash object createHash builds, about a microsecond per delivery.
	 */
	bodyHash(): string {
		if (this.digest === undefined) {
			const raw = this.ctx.rawBody;
			const bytes = typeof raw === 'string' || raw instanceof Uint8Array ? raw : '';
			this.digest = 'sha256:' + hash('sha256', bytes, 'hex');
		}
		return this.digest;
	}
}

export function mapHistory(
	messages: Array<HistoryMessage | null | undefined> | undefined,
): HistoryEntry[] {
	if (!messages) return [];
	const out: HistoryEntry[] = [];
	for (const m of messages) {
		if (!m) continue;
		const role = m.type === 'user' || m.type === 'bot' ? m.type : m.type?.trim().toLowerCase();
		// A message that is neither the contact's nor the business's cannot be placed; skip it.
		if (role !== 'user' && role !== 'bot') continue;
		const text = textOrNull(m.content);
		const entry: HistoryEntry = {
			role,
			type: m.content_type || (text === null ? 'unknown' : 'text'),
			text,
			mediaUrl: textOrNull(m.media_url),
			timestamp: dateToIso(m.timestamp),
		};
		if (m.sha256) entry.sha256 = m.sha256;
		out.push(entry);
	}
	return out;
}

export function mapReferral(r: Referral | null | undefined): ConversationItem['referral'] {
	if (!r) return undefined;
	return {
		sourceType: textOrNull(r.source_type),
		sourceId: textOrNull(r.source_id),
		sourceUrl: textOrNull(r.source_url),
		headline: textOrNull(r.headline),
		body: textOrNull(r.body),
		mediaType: textOrNull(r.media_type),
		imageUrl: textOrNull(r.image_url),
		videoUrl: textOrNull(r.video_url),
		thumbnailUrl: textOrNull(r.thumbnail_url),
		ctwaClid: textOrNull(r.ctwa_clid),
		welcomeMessage: textOrNull(r.welcome_message),
	};
}

// Never copied into `extra`: a later key-by-key merge of them could rewrite a prototype.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Fields of `source` with no place in the item, under their wire names; undefined when none. */
export function extraFields(
	source: unknown,
	mapped: ReadonlySet<string>,
	into?: Record<string, unknown>,
): Record<string, unknown> | undefined {
	let extra = into;
	if (typeof source !== 'object' || source === null) return extra;
	for (const key of Object.keys(source)) {
		if (mapped.has(key) || UNSAFE_KEYS.has(key)) continue;
		if (extra === undefined) extra = {};
		if (!Object.hasOwn(extra, key)) extra[key] = (source as Record<string, unknown>)[key];
	}
	return extra;
}

export function emptyConversation(): ConversationItem['conversation'] {
	return {
		history: [],
		summary: null,
		lastUserMessage: null,
		lastBotMessage: null,
		lastUserMessageAt: null,
		lastBotMessageAt: null,
	};
}

/** An item with only its head known: no contact, message or conversation yet. */
export function emptyItem(
	head: Pick<ConversationItem, 'eventId' | 'event' | 'shape' | 'direction' | 'receivedAt'>,
): ConversationItem {
	return {
		eventId: head.eventId,
		event: head.event,
		shape: head.shape,
		direction: head.direction,
		contact: { phone: null, name: null, userId: null },
		message: {
			type: 'unknown',
			text: null,
			mediaUrl: null,
			timestamp: null,
			sentBy: null,
			byHuman: null,
		},
		conversation: emptyConversation(),
		labels: [],
		note: null,
		noteAutomation: null,
		receivedAt: head.receivedAt,
	};
}

/** Adds optional properties only when they hold something, so items stay free of undefined. */
export function withOptional(
	item: ConversationItem,
	optional: Pick<ConversationItem, 'referral' | 'status' | 'extra'>,
): ConversationItem {
	if (optional.referral) item.referral = optional.referral;
	if (optional.status) item.status = optional.status;
	if (optional.extra) item.extra = optional.extra;
	return item;
}
