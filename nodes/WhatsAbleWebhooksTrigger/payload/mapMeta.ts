import { digitsOrNull, textOrNull, unixToIso } from './coerce';
import {
	DeliveryContext,
	emptyConversation,
	emptyItem,
	extraFields,
	mapReferral,
	withOptional,
} from './common';
import { metaPayload, type MetaMessage, type MetaStatus, type MetaValue } from './input';
import { type ConversationItem } from './output';

// The rest of a message (the media object with its id and mime type, context, ...) goes to extra.
const MESSAGE_KEYS: ReadonlySet<string> = new Set([
	'from',
	'id',
	'timestamp',
	'type',
	'text',
	'referral',
]);
const STATUS_KEYS: ReadonlySet<string> = new Set(['id', 'status', 'timestamp', 'recipient_id']);
const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** A status has a recipient and a time, nothing else of a message. */
function statusItem(s: MetaStatus, d: DeliveryContext, eventId: string): ConversationItem {
	const item = emptyItem({
		eventId,
		event: 'message_status',
		shape: 'meta',
		direction: 'outgoing',
		receivedAt: d.receivedAt,
	});
	item.contact.phone = digitsOrNull(s.recipient_id);
	item.message.type = 'status';
	item.message.timestamp = unixToIso(s.timestamp);
	return item;
}

function withMetadata(extra: Record<string, unknown> | undefined, value: MetaValue) {
	if (!value.metadata) return extra;
	return { ...extra, metadata: value.metadata };
}

function fromMessage(
	m: MetaMessage,
	value: MetaValue,
	index: number,
	d: DeliveryContext,
): ConversationItem {
	const contacts = value.contacts ?? [];
	const contact =
		contacts.find((c) => c?.wa_id !== undefined && c.wa_id === m.from) ??
		(contacts.length === 1 ? contacts[0] : undefined);
	const media = m.type && MEDIA_TYPES.has(m.type) ? m[m.type as 'image'] : undefined;
	const text = textOrNull(m.text?.body) ?? textOrNull(media?.caption);
	const timestamp = unixToIso(m.timestamp);
	const conversation = emptyConversation();
	conversation.lastUserMessage = text;
	conversation.lastUserMessageAt = timestamp;
	const item: ConversationItem = {
		eventId: m.id || `${d.bodyHash()}:${index}`,
		event: 'incoming_message',
		shape: 'meta',
		direction: 'incoming',
		contact: {
			phone: digitsOrNull(m.from ?? contact?.wa_id),
			name: textOrNull(contact?.profile?.name),
			userId: null,
		},
		message: {
			type: m.type || 'unknown',
			text,
			// Cloud API media come as ids to fetch from Graph; a link only when the sender set one.
			mediaUrl: textOrNull(media?.link),
			timestamp,
			sentBy: null,
			byHuman: null,
		},
		conversation,
		labels: [],
		note: null,
		noteAutomation: null,
		receivedAt: d.receivedAt,
	};
	if (media?.sha256) item.message.sha256 = media.sha256;
	return withOptional(item, {
		referral: mapReferral(m.referral),
		extra: withMetadata(extraFields(m, MESSAGE_KEYS), value),
	});
}

function fromStatus(
	s: MetaStatus,
	value: MetaValue,
	index: number,
	d: DeliveryContext,
): ConversationItem {
	const timestamp = unixToIso(s.timestamp);
	// One message goes through sent, delivered and read: the status is part of the identity.
	const eventId = s.id ? `${s.id}:${s.status ?? ''}` : `${d.bodyHash()}:${index}`;
	return withOptional(statusItem(s, d, eventId), {
		status: { messageId: textOrNull(s.id), status: textOrNull(s.status), timestamp },
		extra: withMetadata(extraFields(s, STATUS_KEYS), value),
	});
}

/** Shape 4: Meta's envelope; one item per message and per status, in delivery order. */
export function mapMeta(body: Record<string, unknown>, d: DeliveryContext): ConversationItem[] {
	const p = metaPayload.parse(body);
	const items: ConversationItem[] = [];
	for (const entry of p.entry ?? []) {
		for (const change of entry?.changes ?? []) {
			const value = change?.value;
			if (!value) continue;
			for (const m of value.messages ?? []) {
				if (m) items.push(fromMessage(m, value, items.length, d));
			}
			for (const s of value.statuses ?? []) {
				if (s) items.push(fromStatus(s, value, items.length, d));
			}
		}
	}
	return items;
}
