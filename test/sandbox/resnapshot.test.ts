import { createHash } from 'node:crypto';

import { WhatsAbleSandbox, buildFlatPayload, resnapshot, type HistoryItem } from '../../sandbox';
import { readFixture } from '../../scripts/lib/fixtures';
import { hmacHex } from '../../scripts/lib/signing';
import {
	asArray,
	call,
	parseJson,
	startReceiver,
	testClock,
	useSandbox,
	type Receiver,
} from '../support/sandboxClient';

const clock = testClock();
const harness = useSandbox({ now: clock.now });
/** The fields of the message itself: a new snapshot of the conversation must not touch them. */
const MESSAGE_FIELDS = [
	'phone_number',
	'user_last_message_time',
	'last_message_of_user',
	'message_type',
	'attachment_url',
	'incoming_message',
];
const BUILT_AT = new Date('2025-06-09T22:00:00.000Z');
const RETRY_AT = new Date('2025-06-09T22:05:00.000Z');

function bytes(value: unknown): Buffer {
	return Buffer.from(JSON.stringify(value), 'utf8');
}

function sha256(body: Buffer): string {
	return createHash('sha256').update(body).digest('hex');
}

function pick(payload: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(fields.map((f) => [f, payload[f]]));
}

function history(payload: Record<string, unknown>): HistoryItem[] {
	const value = payload.last_messages;
	return asArray(typeof value === 'string' ? JSON.parse(value) : value) as HistoryItem[];
}

describe('resnapshot', () => {
	test('a flat body gains the bot answer at the newest end, new labels and note; the message stays', () => {
		const original = buildFlatPayload({ text: 'hi', labels: ['sales'], now: BUILT_AT });
		const first = parseJson(resnapshot(bytes(original), { now: RETRY_AT, retry: 1 }));

		const [answer, ...older] = history(first);
		expect(answer).toEqual({
			type: 'bot',
			content: expect.any(String),
			timestamp: RETRY_AT.toISOString(),
			content_type: 'text',
		});
		expect(older).toEqual(original.last_messages);
		expect(first.last_message_of_bot).toBe(answer.content);
		expect(first.bot_last_message_time).toBe(RETRY_AT.getTime() / 1000);
		expect(first.labels).toBe('sales, followed-up-1');
		expect(first.note).not.toBe(original.note);
		expect(String(first.conversation_paragraph)).toBe(
			`Bot (10:05:00 PM): ${answer.content} ; ${String(original.conversation_paragraph)}`,
		);
		expect(pick(first, MESSAGE_FIELDS)).toEqual(pick(original, MESSAGE_FIELDS));
		expect(Object.keys(first)).toEqual(Object.keys(original));

		// The next retry builds on this one: it changes again.
		const second = parseJson(resnapshot(bytes(first), { now: RETRY_AT, retry: 2 }));
		expect(history(second)).toHaveLength(4);
		expect(second.labels).toBe('sales, followed-up-1, followed-up-2');
		expect(second.note).not.toBe(first.note);
		expect(second.last_message_of_bot).not.toBe(first.last_message_of_bot);
	});

	test('a last_messages JSON string stays a JSON string', () => {
		const original = buildFlatPayload({ now: BUILT_AT });
		const asString = { ...original, last_messages: JSON.stringify(original.last_messages) };
		const next = parseJson(resnapshot(bytes(asString), { now: RETRY_AT, retry: 1 }));
		expect(typeof next.last_messages).toBe('string');
		expect(history(next).slice(1)).toEqual(original.last_messages);
	});

	test('the legacy wrapper has its data resnapshotted, in its oldest-first order and bot_timestamp', () => {
		const raw = readFixture('legacy-incoming-message');
		const original = parseJson(raw);
		const next = parseJson(resnapshot(raw, { now: RETRY_AT, retry: 1 }));
		const data = next.data as Record<string, unknown>;
		const before = original.data as Record<string, unknown>;
		expect(next.event).toBe(original.event);
		const items = history(data);
		expect(items.slice(0, -1)).toEqual(history(before));
		expect(items.at(-1)?.timestamp).toBe(RETRY_AT.toISOString());
		expect(
			String(data.conversation_paragraph).startsWith(String(before.conversation_paragraph)),
		).toBe(true);
		expect(data.bot_timestamp).toBe(RETRY_AT.getTime() / 1000);
		expect('bot_last_message_time' in data).toBe(false);
		expect(data.user_timestamp).toBe(before.user_timestamp);
		expect(data.labels).toBe('delivery, followed-up-1');
	});

	test('v2 and Meta envelopes, status events and non-JSON bodies come back as the same bytes', () => {
		const unchanged = [
			readFixture('v2-envelope-incoming-text'),
			readFixture('meta-cloud-incoming-text'),
			bytes({ event: 'message_status', data: { message_id: 'm1', status: 'read', timestamp: 1 } }),
			Buffer.from('not json {', 'utf8'),
			bytes([1, 2, 3]),
		];
		for (const body of unchanged) {
			expect(resnapshot(body, { now: RETRY_AT, retry: 1 })).toBe(body);
		}
	});
});

describe('redeliveries over HTTP', () => {
	/** A signed registration whose endpoint fails twice, then accepts. */
	async function flakySigned(sb: WhatsAbleSandbox): Promise<{ hook: Receiver; secret: string }> {
		const hook = await harness.receiver([{ status: 500 }, { status: 503 }]);
		const { signature_secret } = sb.addRecord({ webhooks: hook.url, active_signature: true });
		return { hook, secret: signature_secret ?? '' };
	}

	test('in resnapshot mode each retry is a new snapshot, signed for its own bytes', async () => {
		const sb = harness.sandbox;
		const { hook, secret } = await flakySigned(sb);
		const [report] = await sb.deliver(buildFlatPayload({ labels: ['sales'] }), {
			redelivery: 'resnapshot',
		});
		expect(report.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
		const bodies = hook.received.map((r) => parseJson(r.body));
		expect(bodies.map((b) => history(b).length)).toEqual([2, 3, 4]);
		expect(bodies.map((b) => b.labels)).toEqual([
			'sales',
			'sales, followed-up-1',
			'sales, followed-up-1, followed-up-2',
		]);
		// The retries are stamped by the sandbox's clock.
		expect(bodies[2].bot_last_message_time).toBe(Math.floor(clock.now() / 1000));
		for (const got of hook.received) {
			expect(got.headers['x-webhook-signature']).toBe(hmacHex(got.body, secret));
		}
		const hashes = report.attempts.map((a) => a.bodySha256);
		expect(hashes).toEqual(hook.received.map((r) => sha256(r.body)));
		expect(new Set(hashes).size).toBe(3);
	});

	test('a v2 envelope is resent as the same bytes even in resnapshot mode', async () => {
		const sb = harness.sandbox;
		const { hook } = await flakySigned(sb);
		const raw = readFixture('v2-envelope-incoming-text');
		const [report] = await sb.deliver(raw, { redelivery: 'resnapshot' });
		expect(report.delivered).toBe(true);
		expect(hook.received.map((r) => r.body.equals(raw))).toEqual([true, true, true]);
		expect(new Set(report.attempts.map((a) => a.bodySha256)).size).toBe(1);
	});

	test('the sandbox-wide redelivery is the default that a deliver call or the control endpoint overrides', async () => {
		const sb = await WhatsAbleSandbox.start({
			quiet: true,
			delivery: { baseDelayMs: 1, attempts: 2, redelivery: 'resnapshot' },
		});
		const hook = await startReceiver([{ status: 500 }, { status: 200 }, { status: 500 }]);
		try {
			sb.addRecord({ webhooks: hook.url });
			const [resnapshotted] = await sb.deliver(buildFlatPayload());
			const viaControl = await call(sb, 'POST', '/__sandbox/deliver', {
				body: { build: {}, redelivery: 'identical' },
			});
			expect(viaControl.status).toBe(200);
			const distinct = (n: number) =>
				new Set(hook.received.slice(n, n + 2).map((r) => sha256(r.body))).size;
			expect([resnapshotted.delivered, distinct(0), distinct(2)]).toEqual([true, 2, 1]);
			const bad = await call(sb, 'POST', '/__sandbox/deliver', { body: { redelivery: 'twice' } });
			expect([bad.status, bad.json]).toEqual([
				400,
				{ message: 'redelivery must be one of identical, resnapshot' },
			]);
		} finally {
			await sb.stop();
			await hook.close();
		}
	});
});
