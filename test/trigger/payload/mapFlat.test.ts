import {
	normalise,
	toHistoryItems,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { type ConversationItem } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { RECEIVED_AT, runRaw, without, one, base } from '../../support/payloadVariants';

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

	it('keeps emoji and other non-ASCII text intact, and its eventId tells it from another text', () => {
		const raw = JSON.stringify({ ...base, last_message_of_user: 'Hola 👋🏽 ¿qué tal? 你好' });
		const fromString = runRaw(raw).items[0];
		expect(fromString.message.text).toBe('Hola 👋🏽 ¿qué tal? 你好');
		const other = runRaw(JSON.stringify({ ...base, last_message_of_user: 'Hola 👋 ¿qué tal? 你好' })).items[0];
		expect(fromString.eventId).toMatch(/^msg:[0-9a-f]{64}$/);
		expect(fromString.eventId).not.toBe(other.eventId);
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
