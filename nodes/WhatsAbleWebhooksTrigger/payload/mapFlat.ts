import { asLabels, digitsOrNull, textOrNull, unixToIso } from './coerce';
import { DeliveryContext, extraFields, mapHistory, mapReferral, withOptional } from './common';
import { messageEventId } from './eventId';
import { flatFields, flatPayload, type FlatPayload } from './input';
import type { ConversationItem } from './output';

export const FLAT_KEYS: ReadonlySet<string> = new Set(Object.keys(flatFields));

type Time = number | string | null | undefined;
export type Times = { user: Time; bot: Time };

/** The item both the flat payload and the legacy wrapper's data describe. */
export function fromFields(
	f: FlatPayload,
	times: Times,
	d: DeliveryContext,
	head: Pick<ConversationItem, 'eventId' | 'event' | 'shape' | 'direction'>,
): ConversationItem {
	const outgoing = head.direction === 'outgoing';
	const lastUserMessage = textOrNull(f.last_message_of_user);
	const lastBotMessage = textOrNull(f.last_message_of_bot);
	const lastUserMessageAt = unixToIso(times.user);
	const lastBotMessageAt = unixToIso(times.bot);
	const text = outgoing ? lastBotMessage : lastUserMessage;
	// The head's four fields one by one, not `...head`: V8's spread followed by more properties
	// cost more than the rest of this function together (3x the JSON.parse+HMAC floor on the
	// outgoing fixture). Same keys, same order.
	return {
		eventId: head.eventId,
		event: head.event,
		shape: head.shape,
		direction: head.direction,
		contact: {
			phone: digitsOrNull(f.phone_number),
			name: textOrNull(f.recipient_name),
			userId: textOrNull(f.user_id),
		},
		message: {
			type: f.message_type || (text === null ? 'unknown' : 'text'),
			text,
			mediaUrl: textOrNull(f.attachment_url),
			timestamp: outgoing ? lastBotMessageAt : lastUserMessageAt,
			sentBy: textOrNull(f.send_by),
			byHuman: f.was_message_by_human ?? null,
		},
		conversation: {
			history: mapHistory(f.last_messages),
			summary: textOrNull(f.conversation_paragraph),
			lastUserMessage,
			lastBotMessage,
			lastUserMessageAt,
			lastBotMessageAt,
		},
		labels: asLabels(f.labels) ?? [],
		note: textOrNull(f.note),
		noteAutomation: textOrNull(f.note_automation),
		receivedAt: d.receivedAt,
	};
}

/** Shape 1: `incoming_message: false` marks an outgoing message; missing means incoming. */
export function mapFlat(body: Record<string, unknown>, d: DeliveryContext): ConversationItem {
	const f = flatPayload.parse(body);
	const direction = f.incoming_message === false ? 'outgoing' : 'incoming';
	const item = fromFields(f, { user: f.user_last_message_time, bot: f.bot_last_message_time }, d, {
		eventId: '',
		event: direction === 'outgoing' ? 'outgoing_message' : 'incoming_message',
		shape: 'flat',
		direction,
	});
	item.eventId = messageEventId(item) ?? d.bodyHash();
	return withOptional(item, {
		referral: mapReferral(f.referral),
		extra: extraFields(body, FLAT_KEYS),
	});
}
