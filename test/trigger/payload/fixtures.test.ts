import { createHash } from 'node:crypto';

import {
	normalise,
	parseJsonBody,
	toHistoryItems,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { conversationItemSchema } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';

import { expectedItems, fixtureNames, readFixture } from '../../../scripts/lib/fixtures';

const RECEIVED_AT = new Date('2026-01-02T03:04:05.678Z');

function load(file: string) {
	const rawBody = readFixture(file);
	const parsed = parseJsonBody(rawBody.toString('utf8'));
	if (!parsed.ok) throw new Error(`${file}: ${parsed.reason}`);
	return normalise(parsed.value, { rawBody, receivedAt: RECEIVED_AT });
}

const SARAH_PHONE = '14155552671';
const PREMIUM_Q =
	'Thank you for the quick response. Can you provide more details about your premium service plans?';

const files = fixtureNames();

describe('sample deliveries in test/fixtures/payloads', () => {
	it('each have their expected items in test/fixtures/expected', () => {
		expect(files.length).toBeGreaterThanOrEqual(7);
		expect(files.filter((f) => expectedItems(f) === undefined)).toEqual([]);
	});

	it.each(files)('%s normalises to exactly its expected items', (file) => {
		const delivery = load(file);
		const expected = expectedItems(file) ?? [];
		expect(delivery.shape).toBe(expected[0]?.shape);
		// toStrictEqual: no stray undefined properties, no missing ones.
		expect(delivery.items).toStrictEqual(
			expected.map((item) => ({ ...item, receivedAt: RECEIVED_AT.toISOString() })),
		);
		expect(conversationItemSchema.safeParse(delivery.items[0]).success).toBe(true);
	});

	it("a flat delivery's eventId is the documented hash of its message's identity", () => {
		const identity = ['incoming', SARAH_PHONE, '2025-06-09T22:08:11.000Z', 'text', PREMIUM_Q, null];
		const documented = `msg:${createHash('sha256').update(JSON.stringify(identity)).digest('hex')}`;
		expect(load('flat-incoming-text.json').items[0].eventId).toBe(documented);
	});

	it('gives one History item per message with its own direction, position and id', () => {
		const [item] = load('flat-outgoing-whatsapp-app.json').items;
		expect(toHistoryItems(item)).toStrictEqual([
			{
				eventId: `${item.eventId}:0`,
				direction: 'outgoing',
				contact: item.contact,
				role: 'bot',
				type: 'text',
				text: 'Hello n8n',
				mediaUrl: null,
				timestamp: '2026-08-15T12:24:47.000Z',
				position: 0,
				receivedAt: '2026-01-02T03:04:05.678Z',
			},
			{
				eventId: `${item.eventId}:1`,
				direction: 'incoming',
				contact: item.contact,
				role: 'user',
				type: 'text',
				text: 'hi',
				mediaUrl: null,
				timestamp: '2026-08-12T12:27:42.746Z',
				position: 1,
				receivedAt: '2026-01-02T03:04:05.678Z',
			},
		]);
	});
});
