import { createHash } from 'node:crypto';

import {
	detectShape,
	normalise,
	parseJsonBody,
	toHistoryItems,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import {
	conversationItemSchema,
	type ConversationItem,
	type NormalisedDelivery,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';

const RECEIVED_AT = new Date('2026-03-04T05:06:07.000Z');

function sha(text: string): string {
	return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Serialises `body` and runs the same path as the trigger: raw text, safe parse, normalise. */
function run(body: unknown): NormalisedDelivery {
	return runRaw(JSON.stringify(body));
}

function runRaw(raw: string): NormalisedDelivery {
	const parsed = parseJsonBody(raw);
	if (!parsed.ok) throw new Error(parsed.reason);
	const delivery = normalise(parsed.value, { rawBody: raw, receivedAt: RECEIVED_AT });
	for (const item of delivery.items) conversationItemSchema.parse(item);
	return delivery;
}

/** A copy of `obj` without `keys`. */
function without<T extends object>(obj: T, ...keys: string[]): Partial<T> {
	return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

function one(body: unknown): ConversationItem {
	const { items } = run(body);
	expect(items).toHaveLength(1);
	return items[0];
}

const base = {
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

describe('last_messages', () => {
	it('parses a JSON string of the history, media and sha256 included', () => {
		const history = [
			{
				type: 'user',
				content: '',
				timestamp: '2025-06-09T14:05:12.000Z',
				content_type: 'image',
				media_url: 'https://m/x.jpg',
				sha256: 'ab12',
			},
			{ type: 'bot', content: 'ok', timestamp: '2025-06-09T14:03:20.000Z', content_type: 'text' },
		];
		const item = one({ ...base, last_messages: JSON.stringify(history) });
		expect(item.conversation.history).toStrictEqual([
			{
				role: 'user',
				type: 'image',
				text: null,
				mediaUrl: 'https://m/x.jpg',
				timestamp: '2025-06-09T14:05:12.000Z',
				sha256: 'ab12',
			},
			{
				role: 'bot',
				type: 'text',
				text: 'ok',
				mediaUrl: null,
				timestamp: '2025-06-09T14:03:20.000Z',
			},
		]);
	});

	it('reads an unparsable string as no history and keeps the rest', () => {
		const item = one({ ...base, last_messages: '[{"type":"user",' });
		expect(item.conversation.history).toEqual([]);
		expect(item.message.text).toBe('hello');
		expect(item.contact.phone).toBe('14155552671');
	});

	it('reads a JSON string that is not an array as no history', () => {
		expect(one({ ...base, last_messages: '{"type":"user"}' }).conversation.history).toEqual([]);
		expect(one({ ...base, last_messages: '42' }).conversation.history).toEqual([]);
	});

	it('skips entries that are not messages and keeps the others in order', () => {
		const item = one({
			...base,
			last_messages: [
				null,
				5,
				'x',
				{ type: 'agent', content: 'who?' },
				{ type: 'USER', content: 'a' },
				{ type: 'bot', content: 7, content_type: 3 },
				{ content: 'no role' },
			],
		});
		expect(item.conversation.history).toStrictEqual([
			{ role: 'user', type: 'text', text: 'a', mediaUrl: null, timestamp: null },
			{ role: 'bot', type: '3', text: '7', mediaUrl: null, timestamp: null },
		]);
	});

	it('handles a 10,000-message history in order', () => {
		const history = Array.from({ length: 10_000 }, (_, i) => ({
			type: i % 2 ? 'bot' : 'user',
			content: `m${i}`,
			timestamp: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
			content_type: 'text',
		}));
		const started = performance.now();
		const item = one({ ...base, last_messages: history });
		expect(performance.now() - started).toBeLessThan(2000);
		expect(item.conversation.history).toHaveLength(10_000);
		expect(item.conversation.history[9_999]).toStrictEqual({
			role: 'bot',
			type: 'text',
			text: 'm9999',
			mediaUrl: null,
			timestamp: '2025-01-01T02:46:39.000Z',
		});
		const rows = toHistoryItems(item);
		expect(rows).toHaveLength(10_000);
		expect(rows[9_999].eventId).toBe(`${item.eventId}:9999`);
		expect(rows[9_999].position).toBe(9_999);
	});
});

describe('contact and times', () => {
	it('reads a numeric phone number as a digit string', () => {
		expect(one({ ...base, phone_number: 14155552671 }).contact.phone).toBe('14155552671');
	});

	it('keeps only digits of a formatted phone number; none at all is null', () => {
		expect(one({ ...base, phone_number: '+1 (415) 555-2671' }).contact.phone).toBe('14155552671');
		expect(one({ ...base, phone_number: '' }).contact.phone).toBeNull();
		expect(one({ ...base, phone_number: 'n/a' }).contact.phone).toBeNull();
	});

	it('reads a numeric user id as text', () => {
		expect(one({ ...base, user_id: 12345 }).contact.userId).toBe('12345');
	});

	it('reads time 0 as "none"', () => {
		const item = one({ ...base, user_last_message_time: 0, bot_last_message_time: 0 });
		expect(item.message.timestamp).toBeNull();
		expect(item.conversation.lastUserMessageAt).toBeNull();
		expect(item.conversation.lastBotMessageAt).toBeNull();
	});

	it('reads times given as numeric strings, milliseconds or ISO text', () => {
		const item = one({
			...base,
			user_last_message_time: '1749506891',
			bot_last_message_time: 1749504330000,
		});
		expect(item.conversation.lastUserMessageAt).toBe('2025-06-09T22:08:11.000Z');
		expect(item.conversation.lastBotMessageAt).toBe('2025-06-09T21:25:30.000Z');
		const iso = one({ ...base, user_last_message_time: '2025-06-09T22:08:11+02:00' });
		expect(iso.message.timestamp).toBe('2025-06-09T20:08:11.000Z');
	});

	it('turns invalid and out-of-range dates into null', () => {
		const item = one({
			...base,
			user_last_message_time: -5,
			bot_last_message_time: 1e20,
			last_messages: [
				{ type: 'user', content: 'a', timestamp: 'yesterday-ish' },
				{ type: 'user', content: 'b', timestamp: '2025-02-30T00:00:00Z' },
				{ type: 'user', content: 'c', timestamp: '2025-13-01T00:00:00.000Z' },
				{ type: 'user', content: 'd', timestamp: '2025-06-09T24:00:00Z' },
				{ type: 'user', content: 'e', timestamp: '2023-02-29T00:00:00Z' },
				{ type: 'user', content: 'f', timestamp: '2024-02-29T00:00:00Z' },
				{ type: 'user', content: 'g', timestamp: '' },
				{ type: 'user', content: 'h', timestamp: { at: 1 } },
			],
		});
		expect(item.conversation.lastUserMessageAt).toBeNull();
		expect(item.conversation.lastBotMessageAt).toBeNull();
		expect(item.conversation.history.map((h) => h.timestamp)).toEqual([
			null,
			null,
			null,
			null,
			null,
			'2024-02-29T00:00:00.000Z',
			null,
			null,
		]);
	});
});

describe('direction and message', () => {
	it('treats a missing incoming_message as incoming', () => {
		const item = one(base);
		expect(item.direction).toBe('incoming');
		expect(item.event).toBe('incoming_message');
		expect(item.message.text).toBe('hello');
		expect(item.message.timestamp).toBe('2025-06-09T22:08:11.000Z');
	});

	it('reads incoming_message false (also as text) as outgoing with the bot text and time', () => {
		for (const flag of [false, 'false', 'FALSE', 0]) {
			const item = one({
				...base,
				incoming_message: flag,
				send_by: 'Ann',
				was_message_by_human: 'true',
			});
			expect(item.direction).toBe('outgoing');
			expect(item.event).toBe('outgoing_message');
			expect(item.message).toStrictEqual({
				type: 'text',
				text: 'hi there',
				mediaUrl: null,
				timestamp: '2025-06-09T21:25:30.000Z',
				sentBy: 'Ann',
				byHuman: true,
			});
		}
	});

	it('keeps emoji and other non-ASCII text intact and hashes the UTF-8 bytes', () => {
		const raw = JSON.stringify({ ...base, last_message_of_user: 'Hola 👋🏽 ¿qué tal? 你好' });
		const fromString = runRaw(raw).items[0];
		expect(fromString.message.text).toBe('Hola 👋🏽 ¿qué tal? 你好');
		expect(fromString.eventId).toBe(sha(raw));
		const fromBuffer = normalise(JSON.parse(raw), {
			rawBody: Buffer.from(raw, 'utf8'),
			receivedAt: RECEIVED_AT,
		}).items[0];
		expect(fromBuffer.eventId).toBe(fromString.eventId);
	});

	it('falls back to a message type from the text when message_type is missing', () => {
		const rest = without(base, 'message_type');
		expect(one(rest).message.type).toBe('text');
		expect(one({ ...rest, last_message_of_user: '' }).message.type).toBe('unknown');
	});
});

describe('labels', () => {
	it.each([
		[' a, ,b ,', ['a', 'b']],
		['', []],
		[',,,', []],
		['single', ['single']],
		['VIP,  vip ', ['VIP', 'vip']],
		[
			['x', ' y ', '', 3, null, {}],
			['x', 'y', '3'],
		],
		[42, []],
		[null, []],
	])('%j gives %j', (labels, want) => {
		expect(one({ ...base, labels }).labels).toStrictEqual(want);
	});
});

describe('wrong types per field', () => {
	it.each<[string, unknown, unknown, (item: ConversationItem) => unknown]>([
		['recipient_name', { first: 'S' }, null, (i) => i.contact.name],
		['recipient_name', 7, '7', (i) => i.contact.name],
		['phone_number', [1, 2], null, (i) => i.contact.phone],
		['phone_number', true, null, (i) => i.contact.phone],
		['user_id', null, null, (i) => i.contact.userId],
		['last_message_of_user', 42, '42', (i) => i.message.text],
		['last_message_of_user', ['a'], null, (i) => i.message.text],
		['last_message_of_bot', false, null, (i) => i.conversation.lastBotMessage],
		['message_type', {}, 'text', (i) => i.message.type],
		['attachment_url', 5, '5', (i) => i.message.mediaUrl],
		['attachment_url', { url: 'x' }, null, (i) => i.message.mediaUrl],
		['user_last_message_time', 'soon', null, (i) => i.message.timestamp],
		['user_last_message_time', true, null, (i) => i.message.timestamp],
		['incoming_message', 'maybe', 'incoming', (i) => i.direction],
		['incoming_message', 'true', 'incoming', (i) => i.direction],
		['was_message_by_human', 'yes', null, (i) => i.message.byHuman],
		['was_message_by_human', 1, true, (i) => i.message.byHuman],
		['send_by', ['x'], null, (i) => i.message.sentBy],
		['note', true, null, (i) => i.note],
		['note_automation', 12.5, '12.5', (i) => i.noteAutomation],
		['conversation_paragraph', { p: 1 }, null, (i) => i.conversation.summary],
		['last_messages', 7, [], (i) => i.conversation.history],
		['last_messages', { 0: {} }, [], (i) => i.conversation.history],
		['referral', 'from an ad', undefined, (i) => i.referral],
		['referral', [1], undefined, (i) => i.referral],
	])('%s = %j reads as %j, the rest intact', (field, value, want, read) => {
		const item = one({ ...base, [field]: value });
		expect(read(item)).toStrictEqual(want);
		if (field !== 'recipient_name') expect(item.contact.name).toBe('Sarah Johnson');
		if (field !== 'last_messages') expect(item.conversation.history).toHaveLength(1);
		expect(item.labels).toEqual(['sales']);
	});
});

describe('referral', () => {
	it('maps a Click-to-WhatsApp referral to camelCase', () => {
		const item = one({
			...base,
			referral: {
				source_type: 'ad',
				source_id: '120208',
				source_url: 'https://fb.me/3x',
				headline: 'Spring sale',
				body: '20% off',
				media_type: 'image',
				image_url: 'https://img/1.jpg',
				video_url: '',
				thumbnail_url: null,
				ctwa_clid: 'ARAkLk',
				welcome_message: 'Hi! How can we help?',
			},
		});
		expect(item.referral).toStrictEqual({
			sourceType: 'ad',
			sourceId: '120208',
			sourceUrl: 'https://fb.me/3x',
			headline: 'Spring sale',
			body: '20% off',
			mediaType: 'image',
			imageUrl: 'https://img/1.jpg',
			videoUrl: null,
			thumbnailUrl: null,
			ctwaClid: 'ARAkLk',
			welcomeMessage: 'Hi! How can we help?',
		});
		expect(item.extra).toBeUndefined();
	});

	it('is absent when the delivery has none', () => {
		expect('referral' in one(base)).toBe(false);
	});
});

describe('unknown fields', () => {
	it('keeps unknown top-level fields of a flat payload in extra', () => {
		const item = one({ ...base, campaign: { id: 9 }, tags: [1, 'a'], flag: null });
		expect(item.extra).toStrictEqual({ campaign: { id: 9 }, tags: [1, 'a'], flag: null });
	});

	it('keeps unknown fields inside a referral without failing it', () => {
		const item = one({ ...base, referral: { source_type: 'post', extra_thing: 1 } });
		expect(item.referral?.sourceType).toBe('post');
		expect(item.referral?.headline).toBeNull();
	});
});

describe('legacy wrapper', () => {
	it('reads { event: incoming_message, data } with user_timestamp / bot_timestamp', () => {
		const fields = without(base, 'user_last_message_time', 'bot_last_message_time');
		const body = {
			event: 'incoming_message',
			data: { ...fields, user_timestamp: 1749506891, bot_timestamp: 1749504330, custom: 'k' },
			sent_at: 'x',
		};
		const item = one(body);
		expect(item).toMatchObject({
			eventId: sha(JSON.stringify(body)),
			event: 'incoming_message',
			shape: 'legacy',
			direction: 'incoming',
			contact: { phone: '14155552671', name: 'Sarah Johnson', userId: 'u-1' },
			message: { type: 'text', text: 'hello', timestamp: '2025-06-09T22:08:11.000Z' },
			conversation: {
				lastUserMessageAt: '2025-06-09T22:08:11.000Z',
				lastBotMessageAt: '2025-06-09T21:25:30.000Z',
			},
			labels: ['sales'],
			extra: { custom: 'k', sent_at: 'x' },
		});
		expect(item.status).toBeUndefined();
		expect(run(body).shape).toBe('legacy');
	});

	it('reads the message_status event', () => {
		const item = one({
			event: 'message_status',
			data: { message_id: 'wamid.ABC', status: 'delivered', timestamp: 1749506891 },
		});
		expect(item).toMatchObject({
			event: 'message_status',
			shape: 'legacy',
			message: { type: 'status', text: null, timestamp: '2025-06-09T22:08:11.000Z' },
			status: {
				messageId: 'wamid.ABC',
				status: 'delivered',
				timestamp: '2025-06-09T22:08:11.000Z',
			},
		});
		expect(item.extra).toBeUndefined();
	});

	it('keeps an unknown legacy event name and treats a non-object data as empty', () => {
		expect(one({ event: 'label_added', data: { phone_number: 1 } }).event).toBe('label_added');
		expect(detectShape({ event: 'incoming_message', data: 'x' })).toBe('unknown');
	});
});

describe('v2 envelope', () => {
	const v2 = {
		event_type: 'outgoing_message',
		event_id: 'evt_2',
		timestamp: '2025-04-15T13:42:27Z',
		version: '2025-04-01',
		data: {
			conversation_id: 'c1',
			phone_number: 8801734363287,
			recipient_name: 'John',
			user_id: 'u2',
			message: {
				type: 'image',
				content: '',
				timestamp: '2025-04-15T13:42:27Z',
				media_url: 'https://m/p.jpg',
				sha256: 'f00d',
			},
			conversation_context: {
				last_user_message: 'hi',
				last_bot_message: '',
				user_timestamp: 1718470947,
				bot_timestamp: 0,
			},
			conversation_history: '[{"type":"bot","content":"","content_type":"image"}]',
		},
	};

	it('reads an outgoing media message with its sha256', () => {
		const item = one(v2);
		expect(item).toMatchObject({
			eventId: 'evt_2',
			event: 'outgoing_message',
			shape: 'v2',
			direction: 'outgoing',
			contact: { phone: '8801734363287', name: 'John', userId: 'u2' },
			message: {
				type: 'image',
				text: null,
				mediaUrl: 'https://m/p.jpg',
				timestamp: '2025-04-15T13:42:27.000Z',
				sha256: 'f00d',
			},
			conversation: {
				history: [{ role: 'bot', type: 'image', text: null, mediaUrl: null, timestamp: null }],
				lastUserMessage: 'hi',
				lastBotMessage: null,
				lastUserMessageAt: '2024-06-15T17:02:27.000Z',
				lastBotMessageAt: null,
			},
			extra: { conversation_id: 'c1', timestamp: '2025-04-15T13:42:27Z', version: '2025-04-01' },
		});
	});

	it('hashes the body when event_id is missing and keeps an unknown event_type', () => {
		const rest = without(v2, 'event_id');
		const body = { ...rest, event_type: 'conversation_closed' };
		const item = one(body);
		expect(item.eventId).toBe(sha(JSON.stringify(body)));
		expect(item.event).toBe('conversation_closed');
		expect(item.direction).toBe('incoming');
	});

	it('reads a numeric event_id as text', () => {
		expect(one({ ...v2, event_id: 991 }).eventId).toBe('991');
	});
});

describe('Meta Cloud API envelope', () => {
	const meta = {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: 'WABA',
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: { display_phone_number: '15550001111', phone_number_id: '1234' },
							contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
							messages: [
								{
									from: '16315551234',
									id: 'wamid.TEXT1',
									timestamp: '1749506891',
									type: 'text',
									text: { body: 'Hi from an ad' },
									referral: {
										source_url: 'https://fb.me/abc',
										source_id: '120',
										source_type: 'ad',
										headline: 'Spring sale',
										body: '20% off',
										media_type: 'image',
										image_url: 'https://x/img.jpg',
										ctwa_clid: 'ARAkLk',
										welcome_message: { text: 'Hi! How can we help?' },
									},
								},
								{
									from: '16315551234',
									id: 'wamid.IMG1',
									timestamp: '1749506900',
									type: 'image',
									image: {
										caption: 'the receipt',
										mime_type: 'image/jpeg',
										sha256: 'c0ffee',
										id: 'MEDIA1',
									},
								},
							],
						},
					},
				],
			},
		],
	};
	const metadata = { display_phone_number: '15550001111', phone_number_id: '1234' };

	it('gives one item per message: text with a referral, then an image with its sha256', () => {
		const delivery = run(meta);
		expect(delivery.shape).toBe('meta');
		expect(delivery.items).toHaveLength(2);
		const [text, image] = delivery.items;
		expect(text).toStrictEqual({
			eventId: 'wamid.TEXT1',
			event: 'incoming_message',
			shape: 'meta',
			direction: 'incoming',
			contact: { phone: '16315551234', name: 'Kerry Fisher', userId: null },
			message: {
				type: 'text',
				text: 'Hi from an ad',
				mediaUrl: null,
				timestamp: '2025-06-09T22:08:11.000Z',
				sentBy: null,
				byHuman: null,
			},
			conversation: {
				history: [],
				summary: null,
				lastUserMessage: 'Hi from an ad',
				lastBotMessage: null,
				lastUserMessageAt: '2025-06-09T22:08:11.000Z',
				lastBotMessageAt: null,
			},
			labels: [],
			note: null,
			noteAutomation: null,
			referral: {
				sourceType: 'ad',
				sourceId: '120',
				sourceUrl: 'https://fb.me/abc',
				headline: 'Spring sale',
				body: '20% off',
				mediaType: 'image',
				imageUrl: 'https://x/img.jpg',
				videoUrl: null,
				thumbnailUrl: null,
				ctwaClid: 'ARAkLk',
				welcomeMessage: 'Hi! How can we help?',
			},
			extra: { metadata },
			receivedAt: '2026-03-04T05:06:07.000Z',
		});
		expect(image.eventId).toBe('wamid.IMG1');
		expect(image.message).toStrictEqual({
			type: 'image',
			text: 'the receipt',
			mediaUrl: null,
			timestamp: '2025-06-09T22:08:20.000Z',
			sentBy: null,
			byHuman: null,
			sha256: 'c0ffee',
		});
		expect(image.extra).toStrictEqual({
			image: { caption: 'the receipt', mime_type: 'image/jpeg', sha256: 'c0ffee', id: 'MEDIA1' },
			metadata,
		});
		expect(image.referral).toBeUndefined();
	});

	it('gives status updates their own items, keyed by message id and status', () => {
		const body = {
			object: 'whatsapp_business_account',
			entry: [
				{
					changes: [
						{
							value: {
								statuses: [
									{
										id: 'wamid.OUT',
										status: 'read',
										timestamp: '1749506891',
										recipient_id: '4915',
									},
								],
							},
						},
					],
				},
			],
		};
		const [item] = run(body).items;
		expect(item).toMatchObject({
			eventId: 'wamid.OUT:read',
			event: 'message_status',
			direction: 'outgoing',
			contact: { phone: '4915' },
			status: { messageId: 'wamid.OUT', status: 'read', timestamp: '2025-06-09T22:08:11.000Z' },
		});
	});

	it('falls back to the body hash for a message without an id', () => {
		const body = structuredClone(meta);
		delete (body.entry[0].changes[0].value.messages[1] as { id?: string }).id;
		const items = run(body).items;
		expect(items[1].eventId).toBe(`${sha(JSON.stringify(body))}:1`);
	});

	it('treats an envelope with no messages or statuses as an unknown shape', () => {
		const body = { object: 'whatsapp_business_account', entry: [{ changes: [{ value: {} }] }] };
		const delivery = run(body);
		expect(delivery.shape).toBe('unknown');
		expect(delivery.items[0].unknownShape).toBe(true);
	});
});

describe('unknown shapes', () => {
	it.each([
		[{ hello: 'world' }],
		[[1, 2, 3]],
		['just text'],
		[42],
		[null],
		[{ object: 'page', entry: [] }],
	])('flags %j with the body passed through', (body) => {
		const raw = JSON.stringify(body);
		const delivery = runRaw(raw);
		expect(delivery.shape).toBe('unknown');
		expect(delivery.items).toHaveLength(1);
		expect(delivery.items[0]).toStrictEqual({
			eventId: sha(raw),
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
			receivedAt: '2026-03-04T05:06:07.000Z',
		});
	});

	it('survives a body with a throwing getter', () => {
		const body = {
			get phone_number(): string {
				throw new Error('boom');
			},
		};
		const delivery = normalise(body, { rawBody: '{}', receivedAt: RECEIVED_AT });
		expect(delivery.items[0].unknownShape).toBe(true);
	});

	it('still gives a valid receivedAt for an invalid Date', () => {
		const { items } = normalise(base, { rawBody: '{}', receivedAt: new Date('nope') });
		expect(conversationItemSchema.shape.receivedAt.safeParse(items[0].receivedAt).success).toBe(
			true,
		);
	});
});

describe('prototype pollution', () => {
	afterEach(() => {
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
	});

	it('drops __proto__ keys at every depth', () => {
		const parsed = parseJsonBody(
			'{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2},"b":1},"c":[{"__proto__":{}}]}',
		);
		expect(parsed).toStrictEqual({ ok: true, value: { a: { b: 1 }, c: [{}] } });
		if (!parsed.ok) return;
		const value = parsed.value as Record<string, unknown>;
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.hasOwn(value, '__proto__')).toBe(false);
	});

	it('drops __proto__ written with unicode escapes', () => {
		const parsed = parseJsonBody('{"\\u005f_proto__":{"polluted":1},"ok":true}');
		expect(parsed).toStrictEqual({ ok: true, value: { ok: true } });
	});

	it('drops constructor.prototype but keeps a harmless constructor field', () => {
		expect(parseJsonBody('{"constructor":{"prototype":{"polluted":1}},"a":1}')).toStrictEqual({
			ok: true,
			value: { a: 1 },
		});
		expect(parseJsonBody('{"constructor":"Acme Ltd"}')).toStrictEqual({
			ok: true,
			value: { constructor: 'Acme Ltd' },
		});
	});

	it('keeps __proto__, constructor and prototype out of extra even from an unparsed body', () => {
		const body = JSON.parse(
			'{"phone_number":"1","__proto__":{"polluted":1},"constructor":{"prototype":{}},"prototype":1,"x":1}',
		);
		const [item] = normalise(body, { rawBody: '{}', receivedAt: RECEIVED_AT }).items;
		expect(item.extra).toStrictEqual({ x: 1 });
		expect(Object.getPrototypeOf(item.extra)).toBe(Object.prototype);
	});

	it('parses a history string through the same safe parser', () => {
		const item = one({
			...base,
			last_messages: '[{"type":"user","content":"a","__proto__":{"polluted":1}}]',
		});
		expect(item.conversation.history).toHaveLength(1);
	});
});

describe('parseJsonBody', () => {
	const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

	it('refuses nesting deeper than 64 levels, which would overflow JSON.stringify downstream', () => {
		expect(parseJsonBody(nested(10_000))).toStrictEqual({
			ok: false,
			reason: 'the body is nested more than 64 levels deep',
		});
		expect(parseJsonBody('['.repeat(65) + ']'.repeat(65)).ok).toBe(false);
		expect(parseJsonBody('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
		expect(parseJsonBody(nested(64)).ok).toBe(true);
	});

	it('accepts many brackets that are not deep (a long history)', () => {
		const wide = JSON.stringify({ list: Array.from({ length: 500 }, (_, i) => ({ i, t: [i] })) });
		expect(parseJsonBody(wide).ok).toBe(true);
	});

	it('reads a deeply nested history string as no history', () => {
		const item = one({ ...base, last_messages: '['.repeat(5000) + ']'.repeat(5000) });
		expect(item.conversation.history).toEqual([]);
		expect(item.message.text).toBe('hello');
	});

	it('accepts a UTF-8 BOM', () => {
		expect(parseJsonBody('\uFEFF{"a":1}')).toStrictEqual({ ok: true, value: { a: 1 } });
	});

	it('refuses empty and invalid bodies without quoting them', () => {
		expect(parseJsonBody('')).toStrictEqual({ ok: false, reason: 'the body is empty' });
		expect(parseJsonBody(' \n')).toStrictEqual({ ok: false, reason: 'the body is empty' });
		const bad = parseJsonBody('{"secret-ish": tru');
		expect(bad).toStrictEqual({ ok: false, reason: 'the body is not valid JSON' });
	});
});
