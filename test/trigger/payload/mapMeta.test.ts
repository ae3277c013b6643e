import { sha, run } from '../../support/payloadVariants';

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
