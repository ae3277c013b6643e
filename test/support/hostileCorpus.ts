/**
 * The hostile-input corpus: deliveries an attacker, a broken proxy or a future WhatsAble revision
 * could send. Used by test/trigger/hostile.test.ts (every case, through judgeDelivery and the trigger's
 * webhook()) and test/e2e/reliability.e2e.test.ts (the cases marked `n8n`, through real n8n).
 * Each case says what must happen: a given 4xx, typed item(s), or (where both are defensible)
 * either a 4xx or typed item(s). Never a 5xx, a thrown error or a polluted prototype.
 * After the deliveries: hostile media links, secret echoes, webhook ids, webhook URLs,
 * attachment file names and flushes, each list naming the tests that use it.
 */
import { FLUSH_HEADER, MAX_FLUSH_BODY_BYTES } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { flushProof } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';

import type { ConversationItem } from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { buildFlatPayload } from '../../sandbox';
import { hmacHex } from '../../scripts/lib/signing';

export type HostileExpectation =
	| { kind: 'reject'; status: number }
	/** Accepted; `check` returns a problem or null. */
	| { kind: 'items'; count?: number; check?: (item: ConversationItem) => string | null }
	| { kind: 'item-or-4xx' };

export interface HostileCase {
	name: string;
	body: Buffer;
	/** null: no Content-Type header. Default application/json. */
	contentType?: string | null;
	method?: string;
	/** Default: a valid hex HMAC-SHA256 of the body. 'none' omits the header. */
	signature?: 'valid' | 'none' | string | string[];
	expect: HostileExpectation;
	/** Also sent through real n8n by the reliability e2e test. */
	n8n?: boolean;
	/** Further raw request headers (latin1 strings: each character is one byte on the wire). */
	headers?: Record<string, string>;
}

export interface HostileRequest {
	method: string;
	headers: Record<string, string>;
	body: Buffer;
	signature: string | string[] | undefined;
}

/** A secret like WhatsAble's (171 base64url characters); not a real one. */
export const HOSTILE_SECRET = 'h'.repeat(40) + 'hostile-corpus-secret-'.repeat(6) + 'x';

export function hostileRequest(c: HostileCase, secret = HOSTILE_SECRET): HostileRequest {
	const headers: Record<string, string> = {};
	const type = c.contentType === undefined ? 'application/json' : c.contentType;
	if (type !== null) headers['content-type'] = type;
	Object.assign(headers, c.headers);
	let signature: string | string[] | undefined;
	if (c.signature === undefined || c.signature === 'valid') signature = hmacHex(c.body, secret);
	else if (c.signature !== 'none') signature = c.signature;
	return { method: c.method ?? 'POST', headers, body: c.body, signature };
}

/** The nonce in the trigger's flush header is 32 characters of base64url. */
const NONCE_LENGTH = 32;
/** UTF-8 bytes written as latin1 characters, so an HTTP client sends exactly these bytes. */
const utf8Bytes = (value: string): string => Buffer.from(value, 'utf8').toString('latin1');

const NOW = new Date(Date.UTC(2026, 0, 2, 9, 30));

/** A valid current-shape delivery, unique per tag. */
function flat(tag: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { ...buildFlatPayload({ text: `hostile case: ${tag}`, now: NOW }), ...extra };
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const text = (value: string): Buffer => Buffer.from(value, 'utf8');

function nestedArrays(depth: number): string {
	return '['.repeat(depth) + ']'.repeat(depth);
}

function nestedObjects(depth: number): string {
	return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Splices raw JSON text in as the value of `key` of a flat delivery. */
function flatWithRaw(tag: string, key: string, rawValue: string): Buffer {
	const base = JSON.stringify(flat(tag));
	return text(`${base.slice(0, -1)},${JSON.stringify(key)}:${rawValue}}`);
}

const textIs =
	(expected: string) =>
	(item: ConversationItem): string | null =>
		item.message.text === expected
			? null
			: `message.text is ${JSON.stringify(item.message.text)?.slice(0, 80)}`;

const UNICODE = '👋🏽 مرحبا שלום \u200b\u200d e\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👨‍👩‍👧‍👦 \u202e gnp.exe 中文 ﷽';

function history(count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, i) => ({
		type: i % 2 === 0 ? 'user' : 'bot',
		content: `message ${i}`,
		timestamp: new Date(NOW.getTime() - i * 60_000).toISOString(),
		content_type: 'text',
	}));
}

function manyKeys(count: number): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (let i = 0; i < count; i++) out[`k${i}`] = i;
	return out;
}

/**
 * Header-shaped attacks on every header the trigger reads (the flush header, Content-Type,
 * X-Webhook-Signature): bytes, lengths and repetitions. None may throw; an unsigned one is a 401.
 * Sent through real n8n by test/e2e/security.e2e.test.ts.
 */
export const HOSTILE_HEADER_CASES: HostileCase[] = [
	{
		name: 'a flush header of nonce length with one non-ASCII byte (unsigned)',
		body: json(flat('flush one byte')),
		signature: 'none',
		headers: { [FLUSH_HEADER]: '\u00e9' + 'a'.repeat(NONCE_LENGTH - 1) },
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a flush header of nonce length in multi-byte UTF-8 (unsigned)',
		body: json(flat('flush multibyte')),
		signature: 'none',
		headers: {
			[FLUSH_HEADER]:
				utf8Bytes('€'.repeat(NONCE_LENGTH / 4)) + 'a'.repeat(NONCE_LENGTH - (NONCE_LENGTH / 4) * 3),
		},
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a flush header of nonce length in ASCII (unsigned)',
		body: json(flat('flush ascii')),
		signature: 'none',
		headers: { [FLUSH_HEADER]: 'A'.repeat(NONCE_LENGTH) },
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a 15 KB flush header of non-ASCII bytes (unsigned)',
		body: json(flat('flush huge')),
		signature: 'none',
		headers: { [FLUSH_HEADER]: '\u00ff'.repeat(15_000) },
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'an empty flush header on a signed delivery',
		body: json(flat('flush empty')),
		headers: { [FLUSH_HEADER]: '' },
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'a forged flush header on a signed delivery',
		body: json(flat('flush forged')),
		headers: { [FLUSH_HEADER]: '\u00e9'.repeat(NONCE_LENGTH) },
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'a signature header of 64 non-ASCII bytes',
		body: json(flat('sig latin1')),
		signature: '\u00e9'.repeat(64),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a signature header of 32 two-byte UTF-8 characters',
		body: json(flat('sig utf8')),
		signature: utf8Bytes('é'.repeat(32)),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a valid signature with a non-ASCII byte appended',
		body: json(flat('sig appended')),
		signature: hmacHex(json(flat('sig appended')), HOSTILE_SECRET) + '\u00e9',
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a "sha256=" prefix followed by non-ASCII bytes',
		body: json(flat('sig prefix')),
		signature: 'sha256=' + '\u00e9'.repeat(64),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'a Content-Type of non-ASCII bytes',
		body: json(flat('type bytes')),
		contentType: '\u00e9\u00ff/json',
		expect: { kind: 'reject', status: 415 },
	},
	{
		name: 'a JSON Content-Type with a non-ASCII charset parameter',
		body: json(flat('type charset')),
		contentType: 'application/json; charset=\u00e9\u00ff',
		expect: { kind: 'item-or-4xx' },
	},
];

/**
 * Signed bodies that are JSON but not an object at the top. Also sent in Raw Body mode by
 * test/trigger/hostile.test.ts, where every item's json must still be an object.
 */
export const HOSTILE_TOP_LEVEL_CASES: HostileCase[] = [
	{ name: 'JSON null', body: text('null'), expect: { kind: 'item-or-4xx' } },
	{
		name: 'an array at the top',
		body: json([flat('array top')]),
		expect: { kind: 'item-or-4xx' },
		n8n: true,
	},
	{
		name: 'a mixed array at the top',
		body: text('[1, {"a": 1}]'),
		expect: { kind: 'item-or-4xx' },
	},
	{ name: 'an empty array at the top', body: text('[]'), expect: { kind: 'item-or-4xx' } },
	{ name: 'a string at the top', body: text('"hello"'), expect: { kind: 'item-or-4xx' } },
	{ name: 'an empty string at the top', body: text('""'), expect: { kind: 'item-or-4xx' } },
	{ name: 'a number at the top', body: text('42'), expect: { kind: 'item-or-4xx' } },
	{
		name: 'a negative fraction at the top',
		body: text('-1.5e-3'),
		expect: { kind: 'item-or-4xx' },
	},
	{ name: 'a boolean at the top', body: text('true'), expect: { kind: 'item-or-4xx' } },
	{ name: 'false at the top', body: text('false'), expect: { kind: 'item-or-4xx' } },
];

export const HOSTILE_CASES: HostileCase[] = [
	...HOSTILE_HEADER_CASES,
	// The request itself.
	{
		name: 'not JSON at all',
		body: text('hello, this is not JSON'),
		expect: { kind: 'reject', status: 400 },
		n8n: true,
	},
	{
		name: 'truncated JSON',
		body: text('{"phone_number": "14155552671", "last_messages": ['),
		expect: { kind: 'reject', status: 400 },
	},
	{
		name: 'JSON with a trailing comma',
		body: text('{"phone_number": "1",}'),
		expect: { kind: 'reject', status: 400 },
	},
	{
		name: 'JSON followed by garbage',
		body: text('{"phone_number": "1"} trailing'),
		expect: { kind: 'reject', status: 400 },
	},
	{
		name: 'wrong content type (text/plain)',
		body: json(flat('text/plain')),
		contentType: 'text/plain',
		expect: { kind: 'reject', status: 415 },
		n8n: true,
	},
	{
		name: 'no content type',
		body: json(flat('no type')),
		contentType: null,
		expect: { kind: 'reject', status: 415 },
	},
	{
		name: 'form content type',
		body: text('a=1&b=2'),
		contentType: 'application/x-www-form-urlencoded',
		expect: { kind: 'reject', status: 415 },
	},
	{ name: 'empty body', body: Buffer.alloc(0), expect: { kind: 'reject', status: 400 }, n8n: true },
	{
		name: 'whitespace-only body',
		body: text('   \n\t  '),
		expect: { kind: 'reject', status: 400 },
	},
	{
		name: 'GET instead of POST',
		body: Buffer.alloc(0),
		method: 'GET',
		expect: { kind: 'reject', status: 405 },
	},
	// Signatures.
	{
		name: 'no signature',
		body: json(flat('unsigned')),
		signature: 'none',
		expect: { kind: 'reject', status: 401 },
		n8n: true,
	},
	{
		name: 'signature of another body',
		body: json(flat('other body')),
		signature: hmacHex(json(flat('the real one')), HOSTILE_SECRET),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'signature that is not hex',
		body: json(flat('not hex')),
		signature: 'zz'.repeat(32),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'an empty signature header',
		body: json(flat('empty sig')),
		signature: '',
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'an 8 KB signature header',
		body: json(flat('huge sig')),
		signature: 'a'.repeat(8_192),
		expect: { kind: 'reject', status: 401 },
	},
	{
		name: 'two signature headers',
		body: json(flat('two sigs')),
		signature: [
			hmacHex(json(flat('two sigs')), HOSTILE_SECRET),
			hmacHex(json(flat('two sigs')), HOSTILE_SECRET),
		],
		expect: { kind: 'reject', status: 401 },
	},
	...HOSTILE_TOP_LEVEL_CASES,
	{ name: 'an empty object', body: text('{}'), expect: { kind: 'item-or-4xx' } },
	// Size and depth.
	{
		name: '10,000 nested arrays',
		body: text(nestedArrays(10_000)),
		expect: { kind: 'item-or-4xx' },
		n8n: true,
	},
	{
		name: '10,000 nested objects',
		body: text(nestedObjects(10_000)),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: '10,000 nested objects in an unknown field of a valid delivery',
		body: flatWithRaw('deep unknown field', 'deep', nestedObjects(10_000)),
		expect: { kind: 'item-or-4xx' },
		n8n: true,
	},
	{
		name: '10,000 nested arrays in a known text field',
		body: flatWithRaw('deep known field', 'note', nestedArrays(10_000)),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: 'a 1.5 MB message text',
		body: json(flat('big', { last_message_of_user: 'x'.repeat(1_500_000) })),
		expect: {
			kind: 'items',
			count: 1,
			check: (item) =>
				item.message.text?.length === 1_500_000 ? null : 'the text was cut or lost',
		},
		n8n: true,
	},
	{
		name: 'a 10,000-message history',
		body: json(flat('long history', { last_messages: history(10_000) })),
		expect: {
			kind: 'items',
			count: 1,
			check: (item) => (item.conversation.history.length > 0 ? null : 'the history was lost'),
		},
		n8n: true,
	},
	{
		name: 'an object with 50,000 keys',
		body: json(flat('many keys', manyKeys(50_000))),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'Meta envelope with 500 messages',
		body: json({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '1',
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								messages: Array.from({ length: 500 }, (_, i) => ({
									from: '14155552671',
									id: `wamid.${i}`,
									timestamp: String(1767346200 + i),
									type: 'text',
									text: { body: `meta ${i}` },
								})),
							},
						},
					],
				},
			],
		}),
		expect: { kind: 'items', count: 500 },
	},
	// Prototype pollution.
	{
		name: '__proto__ at the top',
		body: text(
			`{"__proto__":{"polluted":"yes","isAdmin":true},${JSON.stringify(flat('proto top')).slice(1)}`,
		),
		expect: { kind: 'items', count: 1 },
		n8n: true,
	},
	{
		name: 'constructor.prototype at the top',
		body: text(
			`{"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(flat('ctor top')).slice(1)}`,
		),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: '__proto__ in history items, referral and labels',
		body: text(
			JSON.stringify(flat('proto nested', { referral: { source_type: 'ad' }, labels: 'a' }))
				.replace('"source_type":"ad"', '"source_type":"ad","__proto__":{"polluted":"referral"}')
				.replace('"type":"user"', '"__proto__":{"polluted":"history"},"type":"user"')
				.replace('"labels":"a"', '"labels":{"__proto__":{"polluted":"labels"}}'),
		),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'escaped \\u005f\\u005fproto\\u005f\\u005f key',
		body: text(
			`{"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"escaped"},${JSON.stringify(flat('escaped proto')).slice(1)}`,
		),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: '__proto__ and constructor in a v2 envelope',
		body: text(
			'{"event_type":"incoming_message","event_id":"evt_hostile_proto","__proto__":{"polluted":"v2"},' +
				'"data":{"constructor":{"prototype":{"polluted":"v2-data"}},"phone_number":"1","message":{"type":"text","content":"hi","__proto__":{"polluted":"msg"}}}}',
		),
		expect: { kind: 'items', count: 1 },
	},
	// Wrong types.
	{
		name: 'wrong types in every flat field',
		body: json({
			last_messages: 42,
			conversation_paragraph: {},
			phone_number: [1, 2],
			recipient_name: 12,
			user_id: true,
			last_message_of_user: { a: 1 },
			last_message_of_bot: [],
			message_type: 7,
			user_last_message_time: 'yesterday',
			bot_last_message_time: {},
			attachment_url: 5,
			note: [],
			note_automation: false,
			labels: { a: 1 },
			incoming_message: 'maybe',
			send_by: [],
			was_message_by_human: 'perhaps',
			referral: 'ad',
		}),
		expect: { kind: 'items', count: 1 },
		n8n: true,
	},
	{
		name: 'wrong types in every v2 field',
		body: json({
			event_type: 1,
			event_id: {},
			timestamp: [],
			version: false,
			data: {
				conversation_id: [],
				phone_number: {},
				recipient_name: 5,
				message: 'text',
				conversation_context: 5,
				conversation_history: 'not json',
			},
		}),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: 'v2 envelope whose data is a string',
		body: json({ event_type: 'incoming_message', event_id: 'evt_str', data: 'oops' }),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: 'legacy wrapper whose data is null',
		body: json({ event: 'incoming_message', data: null }),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: 'Meta envelope with broken entries',
		body: json({
			object: 'whatsapp_business_account',
			entry: [
				null,
				5,
				{ changes: 'x' },
				{ changes: [{ value: { messages: [null, { type: 5, from: {} }] } }] },
			],
		}),
		expect: { kind: 'item-or-4xx' },
	},
	{
		name: 'history entries that are not objects',
		body: json(
			flat('bad history', {
				last_messages: [null, 1, 'x', [], { type: 'user', content: 5 }, { type: {}, content: 'y' }],
			}),
		),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'last_messages as a string holding invalid JSON',
		body: json(flat('bad history string', { last_messages: '[{"type":"user",' })),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'last_messages as a string holding 10,000 nested arrays',
		body: json(flat('deep history string', { last_messages: nestedArrays(10_000) })),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'labels with nested objects and empty entries',
		body: json(flat('odd labels', { labels: [{}, '', ' a ', ['b'], 5, null] })),
		expect: {
			kind: 'items',
			count: 1,
			check: (item) =>
				item.labels.every((l) => typeof l === 'string' && l.trim() !== '')
					? null
					: `labels ${JSON.stringify(item.labels)}`,
		},
	},
	// Dates and numbers.
	{
		name: 'invalid dates everywhere',
		body: json(
			flat('bad dates', {
				user_last_message_time: 'not a date',
				bot_last_message_time: 1e20,
				last_messages: [
					{ type: 'user', content: 'a', timestamp: '2025-13-45T99:99:99Z', content_type: 'text' },
					{ type: 'bot', content: 'b', timestamp: -1, content_type: 'text' },
					{ type: 'user', content: 'c', timestamp: 'NaN', content_type: 'text' },
					{
						type: 'bot',
						content: 'd',
						timestamp: '+275760-09-13T00:00:00.001Z',
						content_type: 'text',
					},
				],
			}),
		),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'numbers as strings and strings as numbers',
		body: json(
			flat('numbers as strings', {
				phone_number: '+1 (415) 555-2671',
				user_last_message_time: '1749506891',
				bot_last_message_time: '1749506900',
				incoming_message: 'false',
				was_message_by_human: 'true',
				recipient_name: 12345,
			}),
		),
		expect: {
			kind: 'items',
			count: 1,
			check: (item) =>
				item.contact.phone === '14155552671' &&
				item.direction === 'outgoing' &&
				item.contact.name === '12345'
					? null
					: `phone ${item.contact.phone}, direction ${item.direction}, name ${item.contact.name}`,
		},
	},
	{
		name: 'numbers beyond double range',
		body: flatWithRaw('huge numbers', 'phone_number', '1e400'),
		expect: { kind: 'items', count: 1 },
	},
	// Text.
	{
		name: 'emoji, RTL, zero-width and combining characters',
		body: json(flat('unicode', { last_message_of_user: UNICODE, recipient_name: UNICODE })),
		expect: { kind: 'items', count: 1, check: textIs(UNICODE) },
		n8n: true,
	},
	{
		name: 'lone surrogates and NUL characters (escaped)',
		body: flatWithRaw('surrogates', 'last_message_of_user', '"a\\ud800b\\udfffc\\u0000d"'),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'invalid UTF-8 bytes inside a string',
		body: Buffer.concat([
			text(JSON.stringify(flat('bad utf8')).slice(0, -1) + ',"note":"'),
			Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
			text('"}'),
		]),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'a UTF-8 BOM before the JSON',
		body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(flat('bom'))]),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'duplicate keys (the last one wins)',
		body: text(
			`${JSON.stringify(flat('dup keys', { last_message_of_user: 'first' })).slice(0, -1)},"last_message_of_user":"second"}`,
		),
		expect: { kind: 'items', count: 1, check: textIs('second') },
	},
	{
		name: 'an unknown message type with emoji',
		body: json(flat('odd type', { message_type: 'sticker🦄' })),
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'a +json content type (n8n reads no body for it): 415',
		body: json(flat('vnd json')),
		contentType: 'application/vnd.whatsable+json; charset=utf-8',
		expect: { kind: 'reject', status: 415 },
	},
	{
		name: 'application/json with a charset parameter',
		body: json(flat('json charset')),
		contentType: 'Application/JSON; charset=utf-8',
		expect: { kind: 'items', count: 1 },
	},
	{
		name: 'application/jsonp is not JSON',
		body: json(flat('jsonp')),
		contentType: 'application/jsonp',
		expect: { kind: 'reject', status: 415 },
	},
];

/**
 * Media links a delivery can carry to make n8n fetch an internal address (item 2 of issue 14).
 * `port` is a local listener that must see no connection at all. Every one must be refused,
 * directly and as the target of a redirect.
 */
export function hostileMediaUrls(port: number): Array<{ name: string; url: string }> {
	return [
		{ name: 'http to 127.0.0.1', url: `http://127.0.0.1:${port}/rest/settings` },
		{ name: 'https to 127.0.0.1', url: `https://127.0.0.1:${port}/rest/settings` },
		{ name: 'localhost', url: `https://localhost:${port}/x.jpg` },
		{ name: 'localhost with a trailing dot', url: `https://localhost.:${port}/x.jpg` },
		{ name: 'localhost with two trailing dots', url: `https://localhost..:${port}/x.jpg` },
		{ name: '127.0.0.1 with two trailing dots', url: `https://127.0.0.1..:${port}/x.jpg` },
		{ name: 'a .internal name with trailing dots', url: 'https://metadata.google.internal../x' },
		{ name: 'a name under localhost', url: `https://media.localhost:${port}/x.jpg` },
		{ name: 'decimal IPv4', url: `https://2130706433:${port}/x.jpg` },
		{ name: 'hex IPv4', url: `https://0x7f000001:${port}/x.jpg` },
		{ name: 'octal IPv4', url: `https://0177.0.0.1:${port}/x.jpg` },
		{ name: 'short IPv4', url: `https://127.1:${port}/x.jpg` },
		{ name: 'percent-encoded IPv4', url: `https://%31%32%37.0.0.1:${port}/x.jpg` },
		{ name: '0.0.0.0', url: `https://0.0.0.0:${port}/x.jpg` },
		{ name: 'IPv6 loopback', url: `https://[::1]:${port}/x.jpg` },
		{ name: 'IPv4-mapped IPv6', url: `https://[::ffff:127.0.0.1]:${port}/x.jpg` },
		{ name: 'IPv4-mapped IPv6 in hex', url: `https://[::ffff:7f00:1]:${port}/x.jpg` },
		{ name: 'plain http to localhost', url: `http://localhost:${port}/x.jpg` },
		{ name: 'cloud metadata (link-local)', url: 'https://169.254.169.254/latest/meta-data/' },
		{ name: 'private 10/8', url: 'https://10.0.0.1/x.jpg' },
		{ name: 'private 172.16/12', url: 'https://172.31.255.255/x.jpg' },
		{ name: 'private 192.168/16', url: 'https://192.168.1.1/x.jpg' },
		{ name: 'carrier-grade NAT', url: 'https://100.64.0.1/x.jpg' },
		{ name: 'IPv6 unique-local', url: 'https://[fd00::1]/x.jpg' },
		{ name: 'IPv6 link-local', url: 'https://[fe80::1]/x.jpg' },
		{ name: 'NAT64 of loopback', url: 'https://[64:ff9b::7f00:1]/x.jpg' },
		{ name: '6to4 of loopback', url: 'https://[2002:7f00:1::]/x.jpg' },
		{ name: '6to4 of a public address', url: 'https://[2002:808:808::1]/x.jpg' },
		{ name: 'IPv6 documentation 3fff::/20', url: 'https://[3fff:fff:1::1]/x.jpg' },
		{ name: 'IPv6 documentation 2001:db8::/32', url: 'https://[2001:db8::1]/x.jpg' },
		{ name: 'ORCHID 2001:10::/28', url: 'https://[2001:1f::1]/x.jpg' },
		{ name: 'ORCHIDv2 2001:20::/28', url: 'https://[2001:20::1]/x.jpg' },
		{ name: 'Teredo 2001::/32', url: 'https://[2001:0:4136:e378::1]/x.jpg' },
		{ name: 'IPv6 benchmarking in 2001::/23', url: 'https://[2001:2::1]/x.jpg' },
		{ name: 'the end of 2001::/23', url: 'https://[2001:1ff:ffff::1]/x.jpg' },
		{ name: 'SRv6 SIDs 5f00::/16', url: 'https://[5f00::1]/x.jpg' },
		{ name: 'the dummy prefix 100:0:0:1::/64', url: 'https://[100:0:0:1::1]/x.jpg' },
		{ name: 'discard-only 100::/64', url: 'https://[100::1]/x.jpg' },
		{ name: 'local-use NAT64 64:ff9b:1::/48', url: 'https://[64:ff9b:1::a00:1]/x.jpg' },
		{ name: 'the unspecified IPv6 address', url: 'https://[::]/x.jpg' },
		{ name: 'IPv6 multicast', url: 'https://[ff02::1]/x.jpg' },
		{ name: 'IPv4-mapped private address', url: 'https://[::ffff:10.0.0.1]/x.jpg' },
		{ name: 'IPv4 limited broadcast', url: 'https://255.255.255.255/x.jpg' },
		{ name: 'IPv4 benchmarking', url: 'https://198.19.0.1/x.jpg' },
		{ name: 'IPv4 documentation', url: 'https://203.0.113.7/x.jpg' },
		{ name: 'IPv4 multicast', url: 'https://224.0.0.251/x.jpg' },
		{ name: 'IPv4 reserved 240/4', url: 'https://240.0.0.1/x.jpg' },
		{ name: 'IPv4 protocol assignments 192.0.0/24', url: 'https://192.0.0.9/x.jpg' },
		{ name: 'a single-label name', url: 'https://intranet/x.jpg' },
		{ name: 'a .internal name', url: 'https://metadata.google.internal/x.jpg' },
		{ name: 'plain http to a public name', url: 'http://example.com/x.jpg' },
		{ name: 'the file scheme', url: 'file:///etc/passwd' },
		{ name: 'a user and password in the link', url: 'https://user:pass@example.com/x.jpg' },
		{ name: 'not a URL', url: 'not a url' },
	];
}

/**
 * Forms in which a server or proxy can echo a secret back: encoded, cut short, or split by
 * invisible characters. Used by test/shared/redact.test.ts; none may survive redaction.
 */
export function hostileSecretEchoes(secret: string): Array<{ name: string; text: string }> {
	const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
	const b64url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
	const middle = Math.floor(secret.length / 2);
	const split = (mark: string) => secret.slice(0, middle) + mark + secret.slice(middle);
	return [
		{ name: 'base64 of "Bearer <secret>"', text: b64(`Bearer ${secret}`) },
		{ name: 'base64url of "Bearer <secret>"', text: b64url(`Bearer ${secret}`) },
		{ name: 'base64 of the secret', text: b64(secret) },
		{ name: 'base64url of the secret', text: b64url(secret) },
		{ name: 'base64 of an echoed header line', text: b64(`Authorization: Bearer ${secret}\r\n`) },
		{ name: 'base64 of "user:<secret>" (HTTP Basic)', text: `Basic ${b64(`user:${secret}`)}` },
		{ name: 'the first 24 characters', text: `${secret.slice(0, 24)}...` },
		{ name: 'the first 30 characters', text: `${secret.slice(0, 30)}[cut]` },
		{ name: 'a zero-width space inside', text: split('\u200b') },
		{ name: 'a zero-width joiner inside', text: split('\u200d') },
		{ name: 'a word joiner inside', text: split('\u2060') },
		{ name: 'a byte order mark inside', text: split('\ufeff') },
		{ name: 'a zero-width non-joiner between every character', text: [...secret].join('\u200c') },
	];
}

/**
 * Webhook ids that Number() reads as some other id (or none): each must be refused before any
 * request. Used by test/shared/readers.test.ts and test/action/webhook/delete.test.ts.
 */
export const HOSTILE_WEBHOOK_IDS: ReadonlyArray<unknown> = [
	'0x10',
	'0o7',
	'0b11',
	'1.0',
	'1.5',
	'1e3',
	'1e308',
	'9007199254740993',
	'+5',
	'-5',
	'',
	'   ',
	'0',
	'00',
	'1_000',
	'12abc',
	'1 2',
	'\u0661\u0662',
	'\uff11',
	'Infinity',
	0,
	-1,
	1.5,
	2 ** 53,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	true,
	null,
	[7],
	{ id: 7 },
];

/**
 * Webhook URLs with control characters inside: WHATWG URL parsing drops tabs and line breaks, so
 * they pass a parse check while the raw text would be registered. Used by
 * test/action/webhook/create.test.ts and update.test.ts; each must be refused.
 */
export const HOSTILE_WEBHOOK_URLS: ReadonlyArray<{ name: string; url: string }> = [
	{ name: 'CR LF in the path', url: 'https://example.com/hook\r\nX-Injected: 1' },
	{ name: 'LF in the host', url: 'https://exam\nple.com/hook' },
	{ name: 'a tab in the path', url: 'https://example.com/ho\tok' },
	{ name: 'NUL at the end', url: 'https://example.com/hook\u0000' },
	{ name: 'an escape character', url: 'https://example.com/\u001b[31mhook' },
	{ name: 'DEL', url: 'https://example.com/ho\u007fok' },
	{ name: 'a C1 control (NEL)', url: 'https://example.com/ho\u0085ok' },
];

/**
 * Last path segments of media links (as sent, percent-encoded) and the file name the attachment
 * must get: a base name only, `null` for the default name of the message type. Used by
 * test/trigger/attachment.test.ts.
 */
export const HOSTILE_ATTACHMENT_NAMES: ReadonlyArray<{
	name: string;
	segment: string;
	fileName: string | RegExp | null;
}> = [
	{
		name: 'a path traversal with encoded slashes',
		segment: '..%2F..%2F..%2Fetc%2Fcron.d%2Fok.jpg',
		fileName: 'ok.jpg',
	},
	{
		name: 'a path traversal with encoded backslashes',
		segment: '..%5C..%5Cwindows%5Cwin.ini',
		fileName: 'win.ini',
	},
	{ name: 'an absolute path', segment: '%2Fetc%2Fpasswd.txt', fileName: 'passwd.txt' },
	{ name: 'CR and LF', segment: 'report%0D%0A%0D%0Ax.pdf', fileName: 'reportx.pdf' },
	{ name: 'a tab, NUL and DEL', segment: 'a%09b%00c%7Fd.pdf', fileName: 'abcd.pdf' },
	{
		name: 'double and single quotes',
		segment: '%22quoted%22%20and%20%27single%27.pdf',
		fileName: 'quoted and single.pdf',
	},
	{
		name: 'characters unsafe in file names',
		segment: 'a%3Cb%3Ec%3Ad%7Ce%3Ff%2Ag%60.pdf',
		fileName: 'abcdefg.pdf',
	},
	{
		name: 'a right-to-left override',
		segment: 'invoice%E2%80%AEfdp.exe',
		fileName: 'invoicefdp.exe',
	},
	{ name: 'a zero-width space', segment: 'a%E2%80%8Bb.pdf', fileName: 'ab.pdf' },
	{ name: 'only dots', segment: '%2E%2E.%2E', fileName: null },
	{ name: 'a traversal ending in ..', segment: 'x.pdf%2F..', fileName: null },
	{ name: 'an encoded slash at the end', segment: 'dir.d%2F', fileName: null },
	{ name: 'a hidden file', segment: '.htaccess', fileName: null },
	{ name: 'only quotes and controls', segment: '%22%0A%22.%0D', fileName: null },
	{ name: 'trailing dots and spaces', segment: 'x.pdf.%20.', fileName: 'x.pdf' },
	{ name: 'a Windows device name', segment: 'CON.txt', fileName: '_CON.txt' },
	{ name: 'a percent sign that does not decode', segment: '100%.pdf', fileName: '100%.pdf' },
	{ name: 'a 1,000-character name', segment: `${'a'.repeat(1_000)}.pdf`, fileName: /^a+\.pdf$/ },
	{
		name: 'a 1,000-character extension',
		segment: `x.${'b'.repeat(1_000)}`,
		fileName: /^x\.b+$/,
	},
];

/** A flush request someone holding one captured flush (or none) could send. */
export interface HostileFlush {
	name: string;
	body: string;
	header: string;
	/** 'refused': judged as a delivery, nothing merged; 'saves-nothing': answered, nothing saved. */
	expect: 'refused' | 'saves-nothing';
}

/**
 * Flushes an attacker can make after capturing `genuine` (sent with `proof`) on the way to the
 * webhook URL, or without one; `key` is the credential's sealing key the trigger uses, known to
 * the test only (for the one case that is genuinely signed). Used by test/trigger/crossProcess.test.ts.
 */
export function hostileFlushes(
	genuine: { body: string; proof: string },
	key: string,
	scope: string,
	windowOf: (entries: Array<[string, number]>) => string,
	now: number,
): HostileFlush[] {
	const poisoned = JSON.stringify({ seen: windowOf([['PoisonedFutureId', now]]) });
	const oversized = JSON.stringify({ seen: 'w1:'.padEnd(MAX_FLUSH_BODY_BYTES + 1, 'A') });
	const future = JSON.stringify({ seen: windowOf([['TenYearsAheadId0', now + 10 * 365 * 86_400_000]]) });
	return [
		{ name: 'the captured flush replayed', body: genuine.body, header: genuine.proof, expect: 'refused' },
		{ name: "the captured proof on a window that holds a future delivery's id", body: poisoned, header: genuine.proof, expect: 'refused' },
		{ name: 'a flush larger than one window, even signed', body: oversized, header: flushProof(key, scope, oversized, now), expect: 'refused' },
		{ name: 'a proof made an hour ago', body: poisoned, header: flushProof(key, scope, poisoned, now - 3_600_000), expect: 'refused' },
		{ name: 'the header of the earlier version (a static HMAC)', body: poisoned, header: 'A'.repeat(43), expect: 'refused' },
		{ name: 'entries dated ten years ahead, signed', body: future, header: flushProof(key, scope, future, now), expect: 'saves-nothing' },
	];
}
