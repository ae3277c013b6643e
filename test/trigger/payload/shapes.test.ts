import { normalise } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { conversationItemSchema } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { RECEIVED_AT, sha, runRaw, base } from '../../support/payloadVariants';

/** The documented fields that are null when a delivery says nothing about them. */
const nulls = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, null]));

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
			contact: nulls('phone', 'name', 'userId'),
			message: { type: 'unknown', ...nulls('text', 'mediaUrl', 'timestamp', 'sentBy', 'byHuman') },
			conversation: {
				history: [],
				...nulls('summary', 'lastUserMessage', 'lastBotMessage'),
				...nulls('lastUserMessageAt', 'lastBotMessageAt'),
			},
			labels: [],
			...nulls('note', 'noteAutomation'),
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
