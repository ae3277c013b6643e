/**
 * One burst becomes one item: the newest delivery's item with every message listed in the order
 * sent, their text one per line, and each message's attachment under its own binary property.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import {
	combineBurst,
	type BurstPart,
} from '../../../nodes/WhatsAbleWebhooksTrigger/burst/combine';
import { normalise } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { conversationItemSchema } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { buildFlatPayload } from '../../../sandbox';

const PHONE = '14155550142';
const T0 = Date.UTC(2026, 11, 6, 12);

function part(
	text: string,
	secondsAfter: number,
	extra: Parameters<typeof buildFlatPayload>[0] = {},
): BurstPart {
	const raw = Buffer.from(
		JSON.stringify(
			buildFlatPayload({ phone: PHONE, text, now: new Date(T0 + secondsAfter * 1000), ...extra }),
		),
	);
	const { items } = normalise(JSON.parse(raw.toString('utf8')), {
		rawBody: raw,
		receivedAt: new Date(T0),
	});
	return { items, out: items.map((item) => ({ json: { ...item } }) as INodeExecutionData) };
}

test('three messages: one valid item, counted, in order, text one per line, the rest from the newest', () => {
	const parts = [part('Hi', 0), part('I want to order', 2), part('a large pizza', 4)];
	const combined = combineBurst(parts, 'data');
	const item = conversationItemSchema.parse(combined.json);
	expect(item.burst?.count).toBe(3);
	expect(item.burst?.text).toBe('Hi\nI want to order\na large pizza');
	expect(item.burst?.messages.map((m) => m.eventId)).toEqual(parts.map((p) => p.items[0].eventId));
	expect(item.eventId).toBe(parts[2].items[0].eventId);
	expect(item.conversation).toEqual(parts[2].items[0].conversation);
	expect(combined.binary).toBeUndefined();
});

test('messages are ordered by when they were sent, not by when their delivery arrived (a retried one)', () => {
	const [first, second, third] = [part('one', 0), part('two', 1), part('three', 2)];
	const item = conversationItemSchema.parse(combineBurst([first, third, second], 'data').json);
	expect(item.burst?.text).toBe('one\ntwo\nthree');
	expect(item.eventId).toBe(second.items[0].eventId); // the newest delivery's item
});

test('a media message without text reads as its type; each attachment gets its own binary property', () => {
	const photo = part('', 0, { media: 'image', mediaUrl: 'https://files.example/p.jpg' });
	photo.out[0].binary = { data: { data: 'AAAA', mimeType: 'image/jpeg' } };
	const failed = part('', 1, { media: 'document', mediaUrl: 'https://files.example/d.pdf' });
	failed.out[0].json.attachmentError = 'too large';
	const words = part('see above', 2);
	const combined = combineBurst([photo, failed, words], 'data');
	const item = conversationItemSchema.parse(combined.json);
	expect(item.burst?.text).toBe('[Image]\n[Document]\nsee above');
	expect(item.burst?.messages.map((m) => m.binaryProperty)).toEqual(['data_0', null, null]);
	expect(item.burst?.messages[1].attachmentError).toBe('too large');
	expect(Object.keys(combined.binary ?? {})).toEqual(['data_0']);
	expect(combined.json).not.toHaveProperty('attachmentError');
});
