import { detectShape } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { run, without, one, base } from '../../support/payloadVariants';

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
			// The same message as a flat delivery: the same eventId (payload/eventId.ts).
			eventId: one({ ...fields, user_last_message_time: 1749506891, bot_last_message_time: 1749504330 }).eventId,
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
