import { asLabels, dateToIso, digitsOrNull, textOrNull, unixToIso } from './coerce';
import { DeliveryContext, extraFields, mapHistory, mapReferral, withOptional } from './common';
import { v2DataFields, v2Payload } from './input';
import { type ConversationItem } from './output';

// conversation_id, and the envelope's timestamp and version, have no slot in the item, so they are
// left out of these sets and land in `extra`.
const V2_KEYS: ReadonlySet<string> = new Set(['event_type', 'event_id', 'data']);
const V2_DATA_KEYS: ReadonlySet<string> = new Set(
	Object.keys(v2DataFields).filter((key) => key !== 'conversation_id'),
);

/** Shape 3: the v2 envelope; `event_id` is the idempotency key. */
export function mapV2(body: Record<string, unknown>, d: DeliveryContext): ConversationItem {
	const p = v2Payload.parse(body);
	const data = p.data;
	const message = data.message;
	const context = data.conversation_context;
	const event = p.event_type || 'unknown';
	const outgoing = event.includes('outgoing');
	const lastUserMessageAt = unixToIso(context?.user_timestamp);
	const lastBotMessageAt = unixToIso(context?.bot_timestamp);
	const text = textOrNull(message?.content);
	const item: ConversationItem = {
		eventId: p.event_id || d.bodyHash(),
		event,
		shape: 'v2',
		direction: outgoing ? 'outgoing' : 'incoming',
		contact: {
			phone: digitsOrNull(data.phone_number),
			name: textOrNull(data.recipient_name),
			userId: textOrNull(data.user_id),
		},
		message: {
			type: message?.type || (text === null ? 'unknown' : 'text'),
			text,
			mediaUrl: textOrNull(message?.media_url),
			timestamp: dateToIso(message?.timestamp) ?? (outgoing ? lastBotMessageAt : lastUserMessageAt),
			sentBy: textOrNull(data.send_by),
			byHuman: data.was_message_by_human ?? null,
		},
		conversation: {
			history: mapHistory(data.conversation_history),
			summary: textOrNull(data.conversation_paragraph),
			lastUserMessage: textOrNull(context?.last_user_message),
			lastBotMessage: textOrNull(context?.last_bot_message),
			lastUserMessageAt,
			lastBotMessageAt,
		},
		labels: asLabels(data.labels) ?? [],
		note: textOrNull(data.note),
		noteAutomation: textOrNull(data.note_automation),
		receivedAt: d.receivedAt,
	};
	if (message?.sha256) item.message.sha256 = message.sha256;
	return withOptional(item, {
		referral: mapReferral(data.referral),
		extra: extraFields(body, V2_KEYS, extraFields(body.data, V2_DATA_KEYS)),
	});
}
