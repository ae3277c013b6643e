import { SANDBOX_USER_ID, buildFlatPayload } from '../../sandbox';
import { asArray } from '../support/sandboxClient';

describe('buildFlatPayload', () => {
	const now = new Date('2025-06-09T22:08:11.000Z');

	test('incoming text in the current flat shape', () => {
		const p = buildFlatPayload({ text: 'hi', labels: ['sales', 'vip'], now });
		expect(Object.keys(p)).toEqual([
			'last_messages',
			'conversation_paragraph',
			'phone_number',
			'recipient_name',
			'user_id',
			'last_message_of_user',
			'last_message_of_bot',
			'message_type',
			'user_last_message_time',
			'bot_last_message_time',
			'attachment_url',
			'note',
			'note_automation',
			'labels',
			'incoming_message',
			'send_by',
			'was_message_by_human',
		]);
		expect(p.last_messages).toEqual([
			{ type: 'user', content: 'hi', timestamp: '2025-06-09T22:08:11.000Z', content_type: 'text' },
			{
				type: 'bot',
				content: 'Earlier reply 1 from the business',
				timestamp: '2025-06-09T22:06:41.000Z',
				content_type: 'text',
			},
		]);
		expect(p).toMatchObject({
			conversation_paragraph:
				'User (10:08:11 PM): hi ; Bot (10:06:41 PM): Earlier reply 1 from the business',
			phone_number: '14155552671',
			user_id: SANDBOX_USER_ID,
			last_message_of_user: 'hi',
			last_message_of_bot: 'Earlier reply 1 from the business',
			message_type: 'text',
			user_last_message_time: 1749506891,
			bot_last_message_time: 1749506801,
			attachment_url: null,
			note: '',
			labels: 'sales, vip',
			incoming_message: true,
			send_by: '',
			was_message_by_human: true,
		});
	});

	test('outgoing, media, history length and referral', () => {
		const out = buildFlatPayload({ text: 'Hello n8n', outgoing: true, historyLength: 1, now });
		expect(out).toMatchObject({
			incoming_message: false,
			send_by: 'WhatsApp App',
			last_message_of_bot: 'Hello n8n',
			last_message_of_user: '',
			user_last_message_time: 0,
			bot_last_message_time: 1749506891,
		});
		expect(buildFlatPayload({ outgoing: true, sendBy: 'Ana', byHuman: false })).toMatchObject({
			send_by: 'Ana',
			was_message_by_human: false,
		});

		const doc = buildFlatPayload({ media: 'document', mediaUrl: 'https://m.test/c.pdf', now });
		expect(asArray(doc.last_messages)[0]).toEqual({
			type: 'user',
			content: '',
			timestamp: '2025-06-09T22:08:11.000Z',
			content_type: 'document',
			media_url: 'https://m.test/c.pdf',
		});
		expect(doc).toMatchObject({
			message_type: 'document',
			attachment_url: 'https://m.test/c.pdf',
			last_message_of_user: '',
		});
		expect(String(doc.conversation_paragraph)).toMatch(/^User \(10:08:11 PM\): \[Document\] ; Bot/);

		const long = buildFlatPayload({ historyLength: 20, now });
		const items = asArray(long.last_messages) as Array<{ type: string; timestamp: string }>;
		expect(items).toHaveLength(20);
		expect(items.map((m) => m.type).slice(0, 4)).toEqual(['user', 'bot', 'user', 'bot']);
		for (let i = 1; i < items.length; i++) {
			expect(Date.parse(items[i].timestamp)).toBeLessThan(Date.parse(items[i - 1].timestamp));
		}

		const ad = buildFlatPayload({ referral: true });
		expect(Object.keys(ad.referral as object)).toEqual([
			'source_type',
			'source_id',
			'source_url',
			'headline',
			'body',
			'media_type',
			'image_url',
			'ctwa_clid',
		]);
		expect('referral' in buildFlatPayload()).toBe(false);
	});
});
