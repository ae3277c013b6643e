import fc from 'fast-check';

import {
	normalise,
	parseJsonBody,
	toHistoryItems,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { flatFields, v2DataFields } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/input';
import {
	conversationItemSchema,
	historyItemSchema,
} from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';

const RECEIVED_AT = new Date('2026-01-01T00:00:00.000Z');
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Runs the trigger's path on a value and checks every invariant an item must hold. */
function checkDelivery(value: unknown): void {
	const raw = JSON.stringify(value) ?? 'null';
	const parsed = parseJsonBody(raw);
	const body = parsed.ok ? parsed.value : value;
	const delivery = normalise(body, { rawBody: raw, receivedAt: RECEIVED_AT });
	expect(delivery.items.length).toBeGreaterThanOrEqual(1);
	for (const item of delivery.items) {
		const result = conversationItemSchema.safeParse(item);
		if (!result.success) throw new Error(JSON.stringify(result.error.issues));
		expect(item.shape).toBe(delivery.shape);
		expect(item.receivedAt).toBe('2026-01-01T00:00:00.000Z');
		if (item.unknownShape) expect(item.raw).toBe(body);
		for (const row of toHistoryItems(item)) historyItemSchema.parse(row);
	}
}

/** Values a field is likely to get: right, nearly right and plainly wrong. */
const fieldValue = fc.oneof(
	fc.jsonValue(),
	fc.string(),
	fc.integer(),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.constantFrom('', '0', 'true', 'false', 'null', '[]', '[{"type":"user"}]', ' a, ,b ,'),
	fc.constantFrom(0, -1, 1749506891, 1749506891000, 1e20, Number.MAX_SAFE_INTEGER),
	fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	fc.array(
		fc.record(
			{
				type: fc.oneof(fc.constantFrom('user', 'bot', 'USER', ''), fc.jsonValue()),
				content: fc.oneof(fc.string(), fc.jsonValue()),
				timestamp: fc.oneof(
					fc.date().map((d) => String(d)),
					fc.string(),
					fc.jsonValue(),
				),
				content_type: fc.jsonValue(),
				media_url: fc.jsonValue(),
				sha256: fc.jsonValue(),
			},
			{ requiredKeys: [] },
		),
		{ maxLength: 5 },
	),
);

function recordOf(keys: string[]) {
	return fc.record(Object.fromEntries(keys.map((k) => [k, fieldValue])), { requiredKeys: [] });
}

const flatKeys = [...Object.keys(flatFields), 'user_timestamp', 'bot_timestamp'];
const flat = fc
	.tuple(recordOf(flatKeys), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }))
	.map(([known, unknown]) => ({ ...unknown, ...known }));
const legacy = fc.record({
	event: fc.oneof(fc.constantFrom('incoming_message', 'message_status'), fc.jsonValue()),
	data: fc.oneof(
		flat,
		recordOf(['message_id', 'status', 'timestamp', 'phone_number']),
		fc.jsonValue(),
	),
});
const v2 = fc.record({
	event_type: fc.oneof(fc.constantFrom('incoming_message', 'outgoing_message'), fc.jsonValue()),
	event_id: fieldValue,
	timestamp: fieldValue,
	data: fc.oneof(
		recordOf(Object.keys(v2DataFields)),
		fc.record({
			message: recordOf(['type', 'content', 'timestamp', 'media_url', 'sha256']),
			conversation_context: recordOf([
				'last_user_message',
				'last_bot_message',
				'user_timestamp',
				'bot_timestamp',
			]),
		}),
	),
});
const metaMessage = fc.oneof(
	recordOf(['from', 'id', 'timestamp', 'type', 'text', 'image', 'referral']),
	fc.record({
		from: fieldValue,
		id: fieldValue,
		type: fc.constantFrom('text', 'image', 'audio', 'document', 'sticker', 'location'),
		text: recordOf(['body']),
		image: recordOf(['id', 'mime_type', 'sha256', 'caption', 'link']),
		referral: recordOf(['source_type', 'headline', 'welcome_message']),
	}),
);
const meta = fc.record({
	object: fc.constant('whatsapp_business_account'),
	entry: fc.oneof(
		fc.jsonValue(),
		fc.array(
			fc.record({
				changes: fc.array(
					fc.record({
						value: fc.oneof(
							fc.jsonValue(),
							fc.record(
								{
									contacts: fc.array(recordOf(['wa_id', 'profile'])),
									messages: fc.oneof(fc.array(metaMessage, { maxLength: 3 }), fc.jsonValue()),
									statuses: fc.array(recordOf(['id', 'status', 'timestamp', 'recipient_id'])),
									metadata: fieldValue,
								},
								{ requiredKeys: [] },
							),
						),
					}),
					{ maxLength: 2 },
				),
			}),
			{ maxLength: 2 },
		),
	),
});

describe('normalise (properties)', () => {
	it('never throws on any JSON value and always returns valid items', () => {
		fc.assert(fc.property(fc.jsonValue(), checkDelivery), { numRuns: 1000 });
	});

	it('never throws on objects mixing known field names with arbitrary values', () => {
		fc.assert(fc.property(fc.oneof(flat, legacy, v2, meta), checkDelivery), { numRuns: 2000 });
	});

	it('gives the same event ids for the same bytes (retries are recognisable)', () => {
		fc.assert(
			fc.property(fc.oneof(flat, v2, meta), (value) => {
				const raw = JSON.stringify(value);
				const a = normalise(JSON.parse(raw), { rawBody: raw, receivedAt: RECEIVED_AT });
				const b = normalise(JSON.parse(raw), { rawBody: raw, receivedAt: RECEIVED_AT });
				expect(a.items.map((i) => i.eventId)).toEqual(b.items.map((i) => i.eventId));
			}),
			{ numRuns: 300 },
		);
	});
});


describe('parseJsonBody (properties)', () => {
	afterAll(() => {
		expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
	});

	it('never throws on arbitrary strings', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (text) => {
				const result = parseJsonBody(text);
				expect(typeof result.ok).toBe('boolean');
				// Fixed reasons only: nothing of the body is echoed back to the sender.
				if (!result.ok) {
					expect(['the body is empty', 'the body is not valid JSON']).toContain(result.reason);
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('parses whatever JSON.stringify wrote, with or without a BOM', () => {
		fc.assert(
			fc.property(fc.jsonValue(), fc.boolean(), (value, bom) => {
				const text = (bom ? '\uFEFF' : '') + JSON.stringify(value);
				const result = parseJsonBody(text);
				expect(result.ok).toBe(true);
			}),
			{ numRuns: 500 },
		);
	});

	it('never pollutes Object.prototype, whatever keys the JSON holds', () => {
		const key = fc.constantFrom(
			'__proto__',
			'\\u005f_proto__',
			'__pro\\u0074o__',
			'constructor',
			'prototype',
			'polluted',
		);
		const node: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
			node: fc.oneof(
				{ depthSize: 'small', withCrossShrink: true },
				fc.jsonValue().map((v) => JSON.stringify(v)),
				fc
					.array(fc.tuple(key, tie('node')), { maxLength: 4 })
					.map((pairs) => `{${pairs.map(([k, v]) => `"${k}":${v}`).join(',')}}`),
				fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
			),
		})).node;
		fc.assert(
			fc.property(node, (text) => {
				const result = parseJsonBody(text);
				if (result.ok) {
					// A merge written the careless way must not reach Object.prototype.
					const target: Record<string, unknown> = {};
					const merge = (into: Record<string, unknown>, from: unknown): void => {
						if (typeof from !== 'object' || from === null) return;
						for (const k of Object.keys(from)) {
							const v = (from as Record<string, unknown>)[k];
							if (typeof v === 'object' && v !== null) {
								if (typeof into[k] !== 'object' || into[k] === null) into[k] = {};
								merge(into[k] as Record<string, unknown>, v);
							} else into[k] = v;
						}
					};
					merge(target, result.value);
					checkDelivery(result.value);
				}
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
				expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
			}),
			{ numRuns: 2000 },
		);
	});
});
