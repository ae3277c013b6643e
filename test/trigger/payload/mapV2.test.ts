import { sha, without, one } from '../../support/payloadVariants';

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
