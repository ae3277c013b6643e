import { textOrNull, unixToIso } from './coerce';
import { DeliveryContext, extraFields, mapReferral, withOptional } from './common';
import { messageEventId } from './eventId';
import { legacyDataFields, legacyPayload, type LegacyData } from './input';
import { FLAT_KEYS, fromFields } from './mapFlat';
import type { ConversationItem } from './output';

const LEGACY_MESSAGE_KEYS: ReadonlySet<string> = new Set([
	...FLAT_KEYS,
	'user_timestamp',
	'bot_timestamp',
]);
const LEGACY_STATUS_KEYS: ReadonlySet<string> = new Set(Object.keys(legacyDataFields));
const LEGACY_KEYS: ReadonlySet<string> = new Set(['event', 'data']);

function statusOf(data: LegacyData): ConversationItem['status'] {
	return {
		messageId: textOrNull(data.message_id),
		status: textOrNull(data.status),
		timestamp: unixToIso(data.timestamp),
	};
}

/** Shape 2: `{ event, data }`, including the `message_status` event. */
export function mapLegacy(body: Record<string, unknown>, d: DeliveryContext): ConversationItem {
	const p = legacyPayload.parse(body);
	const data = p.data;
	const event = p.event || 'unknown';
	const direction =
		event.includes('outgoing') || data.incoming_message === false ? 'outgoing' : 'incoming';
	const item = fromFields(
		data,
		{
			user: data.user_timestamp ?? data.user_last_message_time,
			bot: data.bot_timestamp ?? data.bot_last_message_time,
		},
		d,
		{ eventId: '', event, shape: 'legacy', direction },
	);
	const isStatus = event === 'message_status';
	if (isStatus) {
		const status = statusOf(data);
		item.status = status;
		if (!data.message_type) item.message.type = 'status';
		item.message.timestamp = status?.timestamp ?? item.message.timestamp;
	}
	item.eventId = messageEventId(item) ?? d.bodyHash();
	// A status event's message_id/status/timestamp have a slot; elsewhere they are just kept.
	const dataKeys = isStatus ? LEGACY_STATUS_KEYS : LEGACY_MESSAGE_KEYS;
	return withOptional(item, {
		referral: mapReferral(data.referral),
		extra: extraFields(body, LEGACY_KEYS, extraFields(body.data, dataKeys)),
	});
}
