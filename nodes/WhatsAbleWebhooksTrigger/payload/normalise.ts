import { DeliveryContext, emptyItem, type NormaliseContext } from './common';
import type { ConversationItem, DeliveryShape, HistoryItem, NormalisedDelivery } from './output';
import { shapeOf } from './shapes';

export { parseJsonBody, type JsonParseResult } from './json';
export type { NormaliseContext } from './common';

/** Which documented shape a body has (see SHAPES). */
export function detectShape(body: unknown): DeliveryShape {
	return shapeOf(body)?.shape ?? 'unknown';
}

/** A body the trigger does not understand still starts the workflow, flagged, with the body. */
function unknownItem(body: unknown, d: DeliveryContext): ConversationItem {
	const head = { eventId: d.bodyHash(), event: 'unknown', shape: 'unknown' as const };
	return {
		...emptyItem({ ...head, direction: 'incoming', receivedAt: d.receivedAt }),
		unknownShape: true,
		raw: body,
	};
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
		const entry = shapeOf(body);
		if (entry) {
			shape = entry.shape;
			items = entry.map(body as Record<string, unknown>, d);
		}
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
