/**
 * What the payload variant tests share: the trigger's own path from raw text to checked items
 * (safe parse, normalise, output schema), and a flat delivery to vary.
 */
import { createHash } from 'node:crypto';

import { normalise, parseJsonBody } from '../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import {
	conversationItemSchema,
	type ConversationItem,
	type NormalisedDelivery,
} from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';

export const RECEIVED_AT = new Date('2026-03-04T05:06:07.000Z');

export function sha(text: string): string {
	return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Serialises `body` and runs the same path as the trigger: raw text, safe parse, normalise. */
export function run(body: unknown): NormalisedDelivery {
	return runRaw(JSON.stringify(body));
}

export function runRaw(raw: string): NormalisedDelivery {
	const parsed = parseJsonBody(raw);
	if (!parsed.ok) throw new Error(parsed.reason);
	const delivery = normalise(parsed.value, { rawBody: raw, receivedAt: RECEIVED_AT });
	for (const item of delivery.items) conversationItemSchema.parse(item);
	return delivery;
}

/** A copy of `obj` without `keys`. */
export function without<T extends object>(obj: T, ...keys: string[]): Partial<T> {
	return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

export function one(body: unknown): ConversationItem {
	const { items } = run(body);
	expect(items).toHaveLength(1);
	return items[0];
}

export const base = {
	phone_number: '14155552671',
	recipient_name: 'Sarah Johnson',
	user_id: 'u-1',
	last_message_of_user: 'hello',
	last_message_of_bot: 'hi there',
	message_type: 'text',
	user_last_message_time: 1749506891,
	bot_last_message_time: 1749504330,
	attachment_url: null,
	note: '',
	note_automation: '',
	labels: 'sales',
	last_messages: [
		{ type: 'user', content: 'hello', timestamp: '2025-06-09T22:08:11Z', content_type: 'text' },
	],
};
