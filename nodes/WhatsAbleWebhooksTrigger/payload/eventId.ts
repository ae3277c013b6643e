import { hash } from 'node:crypto';

import type { ConversationItem } from './output';

/*
 * How a flat or legacy delivery's eventId is made. Such a delivery is a snapshot of the
 * conversation taken when it is sent, so a redelivery can carry a longer history, a new bot
 * answer, other labels or notes: its bytes identify nothing. WhatsAble's own idempotency key is
 * the phone number plus that side's last-message time; seconds are too coarse for an album of
 * photos, so the message's type, text or caption and attachment URL join it.
 */
export const MESSAGE_EVENT_PREFIX = 'msg:';

/** The message's id, or null when the delivery lacks the phone or the time (then: the body hash). */
export function messageEventId(item: ConversationItem): string | null {
	const { phone } = item.contact;
	const { timestamp, type, text, mediaUrl } = item.message;
	if (item.status || phone === null || timestamp === null) return null;
	const identity = JSON.stringify([item.direction, phone, timestamp, type, text, mediaUrl]);
	return MESSAGE_EVENT_PREFIX + hash('sha256', identity, 'hex');
}
