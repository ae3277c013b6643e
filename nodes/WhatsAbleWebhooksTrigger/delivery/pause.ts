import type { ConversationItem } from '../payload/output';
import type { HumanPause } from '../settings';

/** What the verdict reads of the pause book: it records nothing (the handler commits). */
export interface PausedContacts {
	endOf(phone: string, now: number): number | undefined;
}

/** A pause a delivery starts: the contact a human just wrote to, until when. */
export interface HumanReply {
	phone: string;
	until: number;
}

/*
 * A human's reply is an outgoing message WhatsAble marks as written by a person (the inbox, the
 * WhatsApp Business app). An automation's message, this workflow's own included, is marked false
 * and never pauses; a shape that does not say (null) does not either.
 */
export function humanRepliesIn(
	items: readonly ConversationItem[],
	pause: HumanPause,
	now: number,
): HumanReply[] {
	const replies: HumanReply[] = [];
	for (const item of items) {
		const phone = item.contact.phone;
		if (item.direction === 'outgoing' && item.message.byHuman === true && phone !== null) {
			replies.push({ phone, until: now + pause.lengthMs });
		}
	}
	return replies;
}

/** When the pause on the item's contact ends, counting replies in this delivery; undefined if none. */
export function pausedUntil(
	item: ConversationItem,
	book: PausedContacts,
	replies: readonly HumanReply[],
	now: number,
): number | undefined {
	const phone = item.contact.phone;
	if (item.direction !== 'incoming' || phone === null) return undefined;
	let end = book.endOf(phone, now);
	for (const reply of replies) {
		if (reply.phone === phone && reply.until > (end ?? 0)) end = reply.until;
	}
	return end;
}
