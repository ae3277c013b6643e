import { isRecord } from './coerce';
import { DeliveryContext, type NormaliseContext } from './common';
import { mapFlat, mapLegacy } from './mapFlat';
import { mapMeta } from './mapMeta';
import { mapV2 } from './mapV2';
import {
	flatPayload,
	type ConversationItem,
	type DeliveryShape,
	type HistoryItem,
	type NormalisedDelivery,
} from './schemas';

export { parseJsonBody, type JsonParseResult } from './json';
export type { NormaliseContext } from './common';

const FLAT_KEYS = Object.keys(flatPayload.fields);

/** Which documented shape a body has, by cheap key checks: envelopes first, as flat has no marker. */
export function detectShape(body: unknown): DeliveryShape {
	if (!isRecord(body)) return 'unknown';
	if (body.object === 'whatsapp_business_account' && Array.isArray(body.entry)) return 'meta';
	if (isRecord(body.data)) {
		if (typeof body.event_type === 'string' || body.event_id !== undefined) return 'v2';
		if (typeof body.event === 'string') return 'legacy';
	}
	for (const key of FLAT_KEYS) if (Object.hasOwn(body, key)) return 'flat';
	return 'unknown';
}

/** A body the trigger does not understand still starts the workflow, flagged, with the body. */
function unknownItem(body: unknown, d: DeliveryContext): ConversationItem {
	return {
		eventId: d.bodyHash(),
		event: 'unknown',
		shape: 'unknown',
		direction: 'incoming',
		contact: { phone: null, name: null, userId: null },
		message: {
			type: 'unknown',
			text: null,
			mediaUrl: null,
			timestamp: null,
			sentBy: null,
			byHuman: null,
		},
		conversation: {
			history: [],
			summary: null,
			lastUserMessage: null,
			lastBotMessage: null,
			lastUserMessageAt: null,
			lastBotMessageAt: null,
		},
		labels: [],
		note: null,
		noteAutomation: null,
		unknownShape: true,
		raw: body,
		receivedAt: d.receivedAt,
	};
}

function mapShape(shape: DeliveryShape, body: unknown, d: DeliveryContext): ConversationItem[] {
	if (!isRecord(body)) return [];
	switch (shape) {
		case 'flat':
			return [mapFlat(body, d)];
		case 'legacy':
			return [mapLegacy(body, d)];
		case 'v2':
			return [mapV2(body, d)];
		case 'meta':
			return mapMeta(body, d);
		default:
			return [];
	}
}

/**
 * Turns any parsed delivery body into conversation items: one per delivery, one per message for
 * Meta's envelope. Never throws: what cannot be read becomes one item flagged `unknownShape`.
 */
export function normalise(body: unknown, ctx: NormaliseContext): NormalisedDelivery {
	const d = new DeliveryContext(ctx);
	let items: ConversationItem[] = [];
	let shape: DeliveryShape = 'unknown';
	try {
		shape = detectShape(body);
		items = mapShape(shape, body, d);
	} catch {
		// The schemas are lenient, so this is a safety net (e.g. a throwing getter), not a path.
		items = [];
	}
	if (items.length === 0) return { shape: 'unknown', items: [unknownItem(body, d)] };
	return { shape, items };
}

/** The "History" output: one item per history message, in the order WhatsAble sent them. */
export function toHistoryItems(item: ConversationItem): HistoryItem[] {
	return item.conversation.history.map((h, position) => {
		const out: HistoryItem = {
			eventId: `${item.eventId}:${position}`,
			// The message's own direction: the contact's messages came in, the business's went out.
			direction: h.role === 'user' ? 'incoming' : 'outgoing',
			contact: { ...item.contact },
			role: h.role,
			type: h.type,
			text: h.text,
			mediaUrl: h.mediaUrl,
			timestamp: h.timestamp,
			position,
			receivedAt: item.receivedAt,
		};
		if (h.sha256) out.sha256 = h.sha256;
		return out;
	});
}

export type { ConversationItem, HistoryItem, NormalisedDelivery };
