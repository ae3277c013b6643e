/**
 * The pure verdict: every branch of its table from one request and a read-only view of the
 * duplicate window, and that judging records nothing (the handler commits).
 */
import { dedupeKey } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import {
	judgeDelivery,
	type DeliveryInput,
	type DeliveryVerdict,
	type SeenKeys,
} from '../../../nodes/WhatsAbleWebhooksTrigger/delivery/verdict';
import type { PausedContacts } from '../../../nodes/WhatsAbleWebhooksTrigger/delivery/pause';
import {
	defaultSettings,
	type TriggerSettings,
} from '../../../nodes/WhatsAbleWebhooksTrigger/settings';
import { buildFlatPayload, signatureFor } from '../../../sandbox';

const SECRET = 'verdict-test-secret';
const AT = new Date('2026-11-23T12:00:00Z');
const NOTHING_SEEN: SeenKeys = { has: () => false };

function body(value: unknown): Buffer {
	return Buffer.from(JSON.stringify(value));
}

function request(raw: Buffer | undefined, overrides: Partial<DeliveryInput> = {}): DeliveryInput {
	return {
		method: 'POST',
		contentType: 'application/json',
		rawBody: raw,
		signatureHeader: raw ? signatureFor(raw, SECRET, 'hmac') : undefined,
		receivedAt: AT,
		...overrides,
	};
}

function judge(
	input: DeliveryInput,
	settings: Partial<TriggerSettings> = {},
	seen: SeenKeys = NOTHING_SEEN,
	paused?: PausedContacts,
): DeliveryVerdict {
	return judgeDelivery(input, { settings: defaultSettings(settings), secret: SECRET, seen, paused });
}

const incoming = body(buildFlatPayload({ now: AT, text: 'hi' }));
const outgoing = body(buildFlatPayload({ now: AT, outgoing: true, byHuman: true }));

describe('the verdict table', () => {
	test.each<
		[string, DeliveryInput, Partial<TriggerSettings>, DeliveryVerdict['kind'], number | undefined]
	>([
		['a GET', request(incoming, { method: 'GET' }), {}, 'rejected', 405],
		[
			'a form body',
			request(incoming, { contentType: 'application/x-www-form-urlencoded' }),
			{},
			'rejected',
			415,
		],
		[
			'application/*+json (n8n reads no body for it)',
			request(incoming, { contentType: 'application/vnd.api+json' }),
			{},
			'rejected',
			415,
		],
		['no body', request(undefined), {}, 'rejected', 400],
		['an empty body', request(Buffer.alloc(0)), {}, 'rejected', 400],
		['no signature', request(incoming, { signatureHeader: undefined }), {}, 'rejected', 401],
		[
			'a signature over other bytes',
			request(incoming, { signatureHeader: signatureFor(outgoing, SECRET, 'hmac') }),
			{},
			'rejected',
			401,
		],
		['signed bytes that are not JSON', request(Buffer.from('{"a":')), {}, 'rejected', 400],
		[
			'an unsigned body with verification off',
			request(incoming, { signatureHeader: undefined }),
			{ verifySignatures: false },
			'accepted',
			undefined,
		],
		[
			'an outgoing message when only incoming is chosen',
			request(outgoing),
			{},
			'filtered',
			undefined,
		],
		[
			'an outgoing message when outgoing is chosen',
			request(outgoing),
			{ outgoing: true },
			'accepted',
			undefined,
		],
		[
			'an incoming text with Message Types = image',
			request(incoming),
			{ messageTypes: ['image'] },
			'filtered',
			undefined,
		],
		['an incoming text', request(incoming), {}, 'accepted', undefined],
	])('%s', (_name, input, settings, kind, status) => {
		const verdict = judge(input, settings);
		expect(verdict.kind).toBe(kind);
		if (verdict.kind === 'rejected') expect(verdict.status).toBe(status);
	});

	test('verification on without a secret is the trigger’s fault: unverifiable, not 401', () => {
		for (const secret of [undefined, '', '  ']) {
			const config = { settings: defaultSettings(), secret, seen: NOTHING_SEEN };
			expect(judgeDelivery(request(incoming), config)).toEqual({ kind: 'unverifiable' });
		}
	});

	test('an accepted delivery carries its items, the keys to record and the parsed body', () => {
		const verdict = judge(request(incoming));
		if (verdict.kind !== 'accepted') throw new Error(verdict.kind);
		expect(verdict.items).toHaveLength(1);
		expect(verdict.items[0].message.text).toBe('hi');
		expect(verdict.keys).toEqual([dedupeKey(verdict.items[0].eventId)]);
		expect(verdict.parsed).toEqual(JSON.parse(incoming.toString('utf8')));
	});
});

describe('duplicates', () => {
	test('a key the window has seen makes the delivery a duplicate, naming its eventId', () => {
		const first = judge(request(incoming));
		if (first.kind !== 'accepted') throw new Error(first.kind);
		const seen: SeenKeys = { has: (key) => first.keys.includes(key) };
		expect(judge(request(incoming), {}, seen)).toEqual({
			kind: 'duplicate',
			eventId: first.items[0].eventId,
			replies: [],
		});
	});

	test('judging records nothing: the same delivery judged twice is accepted twice', () => {
		const asked: string[] = [];
		const seen: SeenKeys = { has: (key) => (asked.push(key), false) };
		expect(judge(request(incoming), {}, seen).kind).toBe('accepted');
		expect(judge(request(incoming), {}, seen).kind).toBe('accepted');
		expect(asked.length).toBeGreaterThan(0);
	});

	test('one message twice in one Meta delivery starts it once', () => {
		const message = {
			from: '14155550100',
			id: 'wamid.same',
			timestamp: '1764000000',
			type: 'text',
			text: { body: 'x' },
		};
		const meta = body({
			object: 'whatsapp_business_account',
			entry: [
				{ id: '1', changes: [{ field: 'messages', value: { messages: [message, message] } }] },
			],
		});
		const verdict = judge(request(meta));
		if (verdict.kind !== 'accepted') throw new Error(verdict.kind);
		expect(verdict.items).toHaveLength(1);
		expect(verdict.keys).toHaveLength(1);
	});
});

describe('pause while a human replies', () => {
	const PHONE = '14155550123';
	const MINUTE = 60_000;
	const skip = { humanPause: { lengthMs: 30 * MINUTE, flag: false } };
	const flag = { humanPause: { lengthMs: 30 * MINUTE, flag: true } };
	const from = (phone: string, opts: { outgoing?: boolean; byHuman?: boolean } = {}) =>
		request(body(buildFlatPayload({ now: AT, phone, text: `to ${phone}`, ...opts })));
	const pausedUntil = (phone: string, until: number): PausedContacts => ({
		endOf: (p, now) => (p === phone && until > now ? until : undefined),
	});

	test("a teammate's outgoing message starts a pause for its contact, even when outgoing messages are not selected", () => {
		const verdict = judge(from(PHONE, { outgoing: true, byHuman: true }), skip);
		expect(verdict).toMatchObject({
			kind: 'filtered',
			reason: 'outgoing messages are not selected',
			replies: [{ phone: PHONE, until: AT.getTime() + 30 * MINUTE }],
		});
	});

	test("an automation's outgoing message (the workflow's own included) never pauses", () => {
		const verdict = judge(from(PHONE, { outgoing: true, byHuman: false }), skip);
		expect(verdict).toMatchObject({ kind: 'filtered', replies: [] });
	});

	test('with the option off, a human reply pauses nothing and a paused contact still runs', () => {
		expect(judge(from(PHONE, { outgoing: true, byHuman: true }))).toMatchObject({ replies: [] });
		const until = AT.getTime() + MINUTE;
		expect(judge(from(PHONE), {}, NOTHING_SEEN, pausedUntil(PHONE, until)).kind).toBe('accepted');
	});

	test('a paused contact’s incoming message starts nothing and says until when', () => {
		const until = AT.getTime() + 5 * MINUTE;
		expect(judge(from(PHONE), skip, NOTHING_SEEN, pausedUntil(PHONE, until))).toEqual({
			kind: 'paused',
			until,
			replies: [],
		});
	});

	test('another contact, and the same contact once the pause ended, run as usual', () => {
		const until = AT.getTime() + 5 * MINUTE;
		expect(judge(from('14155550999'), skip, NOTHING_SEEN, pausedUntil(PHONE, until)).kind).toBe('accepted');
		const ended = pausedUntil(PHONE, AT.getTime() - 1);
		expect(judge(from(PHONE), skip, NOTHING_SEEN, ended).kind).toBe('accepted');
	});

	test('"Run, Flagged" runs the paused message with pausedUntil, and flags nothing else', () => {
		const until = AT.getTime() + 5 * MINUTE;
		const paused = judge(from(PHONE), flag, NOTHING_SEEN, pausedUntil(PHONE, until));
		if (paused.kind !== 'accepted') throw new Error(paused.kind);
		expect(paused.items[0].pausedUntil).toBe(new Date(until).toISOString());
		const other = judge(from('14155550999'), flag, NOTHING_SEEN, pausedUntil(PHONE, until));
		if (other.kind !== 'accepted') throw new Error(other.kind);
		expect(other.items[0]).not.toHaveProperty('pausedUntil');
	});

	test('a paused message is not recorded as seen: it is asked about nothing in the window', () => {
		const asked: string[] = [];
		const seen: SeenKeys = { has: (key) => (asked.push(key), false) };
		judge(from(PHONE), skip, seen, pausedUntil(PHONE, AT.getTime() + MINUTE));
		expect(asked).toEqual([]);
	});
});
