import { createHash } from 'node:crypto';

import {
	normalise,
	parseJsonBody,
	toHistoryItems,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import {
	conversationItemSchema,
	type ConversationItem,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';

import { fixtureNames, readFixture } from '../../../scripts/lib/fixtures';
import { fixtureEventId } from '../../fixtures/eventIds';
const RECEIVED_AT = new Date('2026-01-02T03:04:05.678Z');

function load(file: string) {
	const rawBody = readFixture(file);
	const parsed = parseJsonBody(rawBody.toString('utf8'));
	if (!parsed.ok) throw new Error(`${file}: ${parsed.reason}`);
	return normalise(parsed.value, { rawBody, receivedAt: RECEIVED_AT });
}

const DOC_URL =
	'https://api.insightssystem.com/vault/LSMumRx1/VR-1aHOci6nP28eHWHJH7JauJkc/Ew7R9w../contract_proposal_v2.pdf';
const SARAH = {
	phone: '14155552671',
	name: 'Sarah Johnson',
	userId: '9232fcef-a570-4a2c-b46b-6cab53aec304',
};
const PREMIUM_Q =
	'Thank you for the quick response. Can you provide more details about your premium service plans?';
const PREMIUM_A =
	"I'd be happy to help you explore our premium service options. Let me connect you with a specialist who can provide detailed information.";
const UPLOAD =
	"Please upload the signed contract document when ready, and I'll process it immediately.";

/** The exact item each sample delivery must give; a new sample without one fails the suite. */
const expected: Record<string, ConversationItem> = {
	'flat-incoming-document.json': {
		eventId: fixtureEventId('flat-incoming-document.json'),
		event: 'incoming_message',
		shape: 'flat',
		direction: 'incoming',
		contact: SARAH,
		message: {
			type: 'document',
			text: null,
			mediaUrl: DOC_URL,
			timestamp: '2025-06-09T12:31:52.000Z',
			sentBy: null,
			byHuman: true,
		},
		conversation: {
			history: [
				{
					role: 'user',
					type: 'document',
					text: null,
					mediaUrl: DOC_URL,
					timestamp: '2025-06-09T14:05:12.000Z',
				},
				{
					role: 'bot',
					type: 'text',
					text: UPLOAD,
					mediaUrl: null,
					timestamp: '2025-06-09T14:03:20.000Z',
				},
			],
			summary:
				"User (2:05:12 PM): [Document] ; Bot (2:03:20 PM): Please upload the signed contract document when ready, and I'll process it immediately.",
			lastUserMessage: null,
			lastBotMessage: UPLOAD,
			lastUserMessageAt: '2025-06-09T12:31:52.000Z',
			lastBotMessageAt: '2025-06-09T12:30:00.000Z',
		},
		labels: ['contracts', 'document-processing'],
		note: null,
		noteAutomation: null,
		receivedAt: '2026-01-02T03:04:05.678Z',
	},
	'flat-incoming-text.json': {
		eventId: fixtureEventId('flat-incoming-text.json'),
		event: 'incoming_message',
		shape: 'flat',
		direction: 'incoming',
		contact: SARAH,
		message: {
			type: 'text',
			text: PREMIUM_Q,
			mediaUrl: null,
			timestamp: '2025-06-09T22:08:11.000Z',
			sentBy: null,
			byHuman: null,
		},
		conversation: {
			history: [
				{
					role: 'user',
					type: 'text',
					text: PREMIUM_Q,
					mediaUrl: null,
					timestamp: '2025-06-09T22:08:11.990Z',
				},
				{
					role: 'bot',
					type: 'text',
					text: PREMIUM_A,
					mediaUrl: null,
					timestamp: '2025-06-09T21:45:30.417Z',
				},
			],
			summary: `User (10:08:11 PM): ${PREMIUM_Q} ; Bot (9:45:30 PM): ${PREMIUM_A}`,
			lastUserMessage: PREMIUM_Q,
			lastBotMessage: PREMIUM_A,
			lastUserMessageAt: '2025-06-09T22:08:11.000Z',
			lastBotMessageAt: '2025-06-09T21:25:30.000Z',
		},
		labels: ['sales', 'premium-inquiry'],
		note: null,
		noteAutomation: null,
		receivedAt: '2026-01-02T03:04:05.678Z',
	},
	'flat-outgoing-whatsapp-app.json': {
		eventId: fixtureEventId('flat-outgoing-whatsapp-app.json'),
		event: 'outgoing_message',
		shape: 'flat',
		direction: 'outgoing',
		contact: {
			phone: '14155552671',
			name: 'Alex Martinez',
			userId: '158c59e1-ea85-4d0b-b70c-65328ba67a8e',
		},
		message: {
			type: 'text',
			text: 'Hello n8n',
			mediaUrl: null,
			timestamp: '2026-08-15T12:30:14.000Z',
			sentBy: 'WhatsApp App',
			byHuman: true,
		},
		conversation: {
			history: [
				{
					role: 'bot',
					type: 'text',
					text: 'Hello n8n',
					mediaUrl: null,
					timestamp: '2026-08-15T12:24:47.000Z',
				},
				{
					role: 'user',
					type: 'text',
					text: 'hi',
					mediaUrl: null,
					timestamp: '2026-08-12T12:27:42.746Z',
				},
			],
			summary: 'Bot (12:24:47 PM): Hello n8n ; User (12:27:42 PM): hi',
			lastUserMessage: 'hi',
			lastBotMessage: 'Hello n8n',
			lastUserMessageAt: '2026-08-14T15:49:40.000Z',
			lastBotMessageAt: '2026-08-15T12:30:14.000Z',
		},
		labels: ['n8n', 'webhook-test'],
		note: 'email: alex\nName: Alex',
		noteAutomation: 'email: alex\nName: Alex',
		receivedAt: '2026-01-02T03:04:05.678Z',
	},
	'v2-envelope-incoming-text.json': {
		eventId: fixtureEventId('v2-envelope-incoming-text.json'),
		event: 'incoming_message',
		shape: 'v2',
		direction: 'incoming',
		contact: {
			phone: '8801734363287',
			name: 'John Doe',
			userId: '6fb11ff2-d9b2-4560-8437-0fe58ec9f4a6',
		},
		message: {
			type: 'text',
			text: 'How can I use notifier by whatsable api?',
			mediaUrl: null,
			timestamp: '2025-04-15T13:42:27.000Z',
			sentBy: null,
			byHuman: null,
		},
		conversation: {
			history: [
				{
					role: 'bot',
					type: 'text',
					text: 'Hello! How can I assist you today?',
					mediaUrl: null,
					timestamp: '2025-04-15T13:41:05.000Z',
				},
				{
					role: 'user',
					type: 'text',
					text: 'How can I use notifier by whatsable api?',
					mediaUrl: null,
					timestamp: '2025-04-15T13:42:27.000Z',
				},
			],
			summary: null,
			lastUserMessage: 'How can I use notifier by whatsable api?',
			lastBotMessage: 'Hello! How can I assist you today?',
			lastUserMessageAt: '2024-06-15T17:02:27.000Z',
			lastBotMessageAt: '2024-06-15T17:01:05.000Z',
		},
		labels: [],
		note: null,
		noteAutomation: null,
		// Documented fields with no slot in the item are kept under their wire names.
		extra: {
			conversation_id: 'conv_87Hj2k9Lm5',
			timestamp: '2025-04-15T13:42:27Z',
			version: '2025-04-01',
		},
		receivedAt: '2026-01-02T03:04:05.678Z',
	},
	'legacy-incoming-message.json': {
		eventId: fixtureEventId('legacy-incoming-message.json'),
		event: 'incoming_message',
		shape: 'legacy',
		direction: 'incoming',
		contact: {
			phone: '447700900123',
			name: 'Tom Baker',
			userId: '1c2d3e4f-0000-4a2c-b46b-6cab53aec111',
		},
		message: {
			type: 'text',
			text: 'Do you deliver on Saturdays?',
			mediaUrl: null,
			timestamp: '2024-11-20T09:15:40.000Z',
			sentBy: null,
			byHuman: null,
		},
		conversation: {
			history: [
				{
					role: 'bot',
					type: 'text',
					text: 'Welcome! How can we help?',
					mediaUrl: null,
					timestamp: '2024-11-20T09:14:02.000Z',
				},
				{
					role: 'user',
					type: 'text',
					text: 'Do you deliver on Saturdays?',
					mediaUrl: null,
					timestamp: '2024-11-20T09:15:40.000Z',
				},
			],
			summary:
				'Bot (9:14:02 AM): Welcome! How can we help? ; User (9:15:40 AM): Do you deliver on Saturdays?',
			lastUserMessage: 'Do you deliver on Saturdays?',
			lastBotMessage: 'Welcome! How can we help?',
			lastUserMessageAt: '2024-11-20T09:15:40.000Z',
			lastBotMessageAt: '2024-11-20T09:14:02.000Z',
		},
		labels: ['delivery'],
		note: null,
		noteAutomation: null,
		receivedAt: '2026-01-02T03:04:05.678Z',
	},
	'flat-incoming-image-referral.json': {
		eventId: fixtureEventId('flat-incoming-image-referral.json'),
		event: 'incoming_message',
		shape: 'flat',
		direction: 'incoming',
		contact: {
			phone: '5511987654321',
			name: 'Ana Souza',
			userId: '7a8b9c0d-1111-4a2c-b46b-6cab53aec222',
		},
		message: {
			type: 'image',
			text: null,
			mediaUrl: 'https://api.insightssystem.com/vault/media/ad-reply.jpg',
			timestamp: '2026-03-02T10:00:05.000Z',
			sentBy: null,
			byHuman: true,
		},
		conversation: {
			history: [
				{
					role: 'user',
					type: 'image',
					text: null,
					mediaUrl: 'https://api.insightssystem.com/vault/media/ad-reply.jpg',
					timestamp: '2026-03-02T10:00:05.000Z',
				},
			],
			summary: 'User (10:00:05 AM): [image]',
			lastUserMessage: null,
			lastBotMessage: null,
			lastUserMessageAt: '2026-03-02T10:00:05.000Z',
			lastBotMessageAt: null,
		},
		labels: [],
		note: null,
		noteAutomation: null,
		receivedAt: '2026-01-02T03:04:05.678Z',
		referral: {
			sourceType: 'ad',
			sourceId: '120208000000000001',
			sourceUrl: 'https://fb.me/ad-example',
			headline: 'Spring sale: 20% off',
			body: 'Message us to claim your code',
			mediaType: 'image',
			imageUrl: 'https://example.com/ad.jpg',
			videoUrl: null,
			thumbnailUrl: null,
			ctwaClid:
				'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
			welcomeMessage: null,
		},
	},
	'meta-cloud-incoming-text.json': {
		eventId: fixtureEventId('meta-cloud-incoming-text.json'),
		event: 'incoming_message',
		shape: 'meta',
		direction: 'incoming',
		contact: {
			phone: '16505551234',
			name: 'Kerry Fisher',
			userId: null,
		},
		message: {
			type: 'text',
			text: 'Is the store open today?',
			mediaUrl: null,
			timestamp: '2025-06-08T20:59:43.000Z',
			sentBy: null,
			byHuman: null,
		},
		conversation: {
			history: [],
			summary: null,
			lastUserMessage: 'Is the store open today?',
			lastBotMessage: null,
			lastUserMessageAt: '2025-06-08T20:59:43.000Z',
			lastBotMessageAt: null,
		},
		labels: [],
		note: null,
		noteAutomation: null,
		receivedAt: '2026-01-02T03:04:05.678Z',
		extra: {
			metadata: {
				display_phone_number: '15550783881',
				phone_number_id: '106540352242922',
			},
		},
	},
};

const files = fixtureNames();

describe('sample deliveries in test/fixtures/payloads', () => {
	it('are all covered by an expectation here', () => {
		expect(files.length).toBeGreaterThanOrEqual(7);
		expect(files.filter((f) => !(f in expected))).toEqual([]);
	});

	it.each(files)('%s normalises to exactly the expected single item', (file) => {
		const delivery = load(file);
		expect(delivery.shape).toBe(expected[file].shape);
		expect(delivery.items).toHaveLength(1);
		// toStrictEqual: no stray undefined properties, no missing ones.
		expect(delivery.items[0]).toStrictEqual(expected[file]);
		expect(conversationItemSchema.safeParse(delivery.items[0]).success).toBe(true);
	});

	it("a flat delivery's eventId is the documented hash of its message's identity", () => {
		const identity = ['incoming', SARAH.phone, '2025-06-09T22:08:11.000Z', 'text', PREMIUM_Q, null];
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
