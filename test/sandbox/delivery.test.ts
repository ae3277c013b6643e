import { API_PREFIX, WhatsAbleSandbox, buildFlatPayload } from '../../sandbox';
import { readFixture } from '../../scripts/lib/fixtures';
import { hmacHex } from '../../scripts/lib/signing';
import {
	call,
	asRecord,
	asArray,
	FULL,
	startReceiver,
	parseJson,
	useSandbox,
} from '../support/sandboxClient';

const harness = useSandbox();
const { receiver } = harness;

describe('deliveries', () => {
	test('only enabled registrations for the payload direction receive it', async () => {
		const [inOnly, outOnly, both, disabled] = await Promise.all([
			receiver(),
			receiver(),
			receiver(),
			receiver(),
		]);
		harness.sandbox.addRecord({ webhooks: inOnly.url, incoming: true, outgoing: false });
		harness.sandbox.addRecord({ webhooks: outOnly.url, incoming: false, outgoing: true });
		harness.sandbox.addRecord({ webhooks: both.url, incoming: true, outgoing: true });
		harness.sandbox.addRecord({
			webhooks: disabled.url,
			status: false,
			incoming: true,
			outgoing: true,
		});

		const incoming = await harness.sandbox.deliver(buildFlatPayload({ text: 'in' }));
		expect(incoming.map((r) => [r.id, r.delivered, r.attempts.length, r.body])).toEqual([
			[1, true, 1, 'ok'],
			[3, true, 1, 'ok'],
		]);
		expect(incoming[0].url).toBe(inOnly.url);
		const outgoing = await harness.sandbox.deliver(
			buildFlatPayload({ text: 'out', outgoing: true }),
		);
		expect(outgoing.map((r) => r.id)).toEqual([2, 3]);
		const forced = await harness.sandbox.deliver({ anything: 1 }, { direction: 'outgoing', to: 3 });
		expect(forced.map((r) => r.id)).toEqual([3]);

		expect([inOnly, outOnly, both, disabled].map((r) => r.received.length)).toEqual([1, 1, 3, 0]);
		expect(parseJson(inOnly.received[0].body).last_message_of_user).toBe('in');
		expect(inOnly.received[0].headers['content-type']).toBe('application/json');
		expect(inOnly.received[0].headers['x-webhook-signature']).toBeUndefined();
		expect(await harness.sandbox.deliver(buildFlatPayload(), { to: 2 })).toEqual([]);
	});

	test('fixture bytes are sent as they are; direction comes from incoming_message', async () => {
		const hook = await receiver();
		harness.sandbox.addRecord({
			webhooks: hook.url,
			incoming: false,
			outgoing: true,
			active_signature: true,
		});
		const raw = readFixture('flat-outgoing-whatsapp-app').toString('utf8');
		const reports = await harness.sandbox.deliver(raw);
		expect(reports.map((r) => r.delivered)).toEqual([true]);
		expect(hook.received[0].body.equals(Buffer.from(raw, 'utf8'))).toBe(true);
		const incomingFixture = readFixture('flat-incoming-text').toString('utf8');
		expect(await harness.sandbox.deliver(incomingFixture)).toEqual([]);
	});

	test('signatures: hex HMAC (default), the secret itself, and sha256= prefix', async () => {
		const hook = await receiver();
		const plain = await receiver();
		const created = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: hook.url, active_signature: true },
		});
		const secret = asRecord(created.json).signature_secret ?? '';
		harness.sandbox.addRecord({ webhooks: plain.url });

		await harness.sandbox.deliver(buildFlatPayload({ text: 'a' }));
		await harness.sandbox.deliver(buildFlatPayload({ text: 'b' }), { scheme: 'secret' });
		await harness.sandbox.deliver(buildFlatPayload({ text: 'c' }), { scheme: 'hmac-prefixed' });
		const [a, b, c] = hook.received;
		expect(a.headers['x-webhook-signature']).toBe(hmacHex(a.body, secret));
		expect(/^[0-9a-f]{64}$/.test(String(a.headers['x-webhook-signature']))).toBe(true);
		expect(b.headers['x-webhook-signature'] === secret).toBe(true);
		expect(c.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(c.body, secret)}`);
		expect(plain.received.map((r) => r.headers['x-webhook-signature'])).toEqual([
			undefined,
			undefined,
			undefined,
		]);

		// The default scheme is a sandbox option too.
		const other = await WhatsAbleSandbox.start({ quiet: true, delivery: { scheme: 'secret' } });
		try {
			const seeded = other.addRecord({
				webhooks: hook.url,
				active_signature: true,
				signature_secret: 's3',
			});
			await other.deliver(buildFlatPayload());
			expect(seeded.signature_secret).toBe('s3');
			expect(hook.received[3].headers['x-webhook-signature']).toBe('s3');
		} finally {
			await other.stop();
		}
	});

	test('tamperBody, omitSignature, signatureOverride and extra headers', async () => {
		const hook = await receiver();
		const { signature_secret } = harness.sandbox.addRecord({
			webhooks: hook.url,
			active_signature: true,
		});
		const secret = signature_secret ?? '';
		const payload = buildFlatPayload({ text: 'original' });
		const original = JSON.stringify(payload);

		await harness.sandbox.deliver(payload, { tamperBody: true });
		const tampered = hook.received[0];
		expect(tampered.body.toString('utf8') === original).toBe(false);
		expect(parseJson(tampered.body).last_message_of_user).toBe('original (tampered)');
		expect(tampered.headers['x-webhook-signature']).toBe(hmacHex(original, secret));
		expect(tampered.headers['x-webhook-signature']).not.toBe(hmacHex(tampered.body, secret));

		await harness.sandbox.deliver(payload, { omitSignature: true });
		expect(hook.received[1].headers['x-webhook-signature']).toBeUndefined();
		expect(hook.received[1].body.toString('utf8')).toBe(original);

		await harness.sandbox.deliver(payload, {
			signatureOverride: 'forged',
			headers: { 'X-Extra': 'yes' },
		});
		expect(hook.received[2].headers['x-webhook-signature']).toBe('forged');
		expect(hook.received[2].headers['x-extra']).toBe('yes');
	});

	test('retries a 500 with backoff, then succeeds', async () => {
		const hook = await receiver([
			{ status: 500, body: 'down' },
			{ status: 200, body: 'thanks' },
		]);
		harness.sandbox.addRecord({ webhooks: hook.url, active_signature: true });
		const [report] = await harness.sandbox.deliver(buildFlatPayload(), { baseDelayMs: 40 });
		expect(report.attempts.map((a) => a.status)).toEqual([500, 200]);
		expect(report.delivered).toBe(true);
		expect(report.body).toBe('thanks');
		expect(hook.received).toHaveLength(2);
		expect(hook.received[1].body.equals(hook.received[0].body)).toBe(true);
		expect(hook.received[1].headers['x-webhook-signature']).toBe(
			hook.received[0].headers['x-webhook-signature'],
		);
		// By default a retry is the same bytes, and the report says so.
		const [first, second] = report.attempts.map((a) => a.bodySha256);
		expect(first).toMatch(/^[0-9a-f]{64}$/);
		expect(second).toBe(first);
		expect(hook.received[1].at - hook.received[0].at).toBeGreaterThanOrEqual(35);
	});

	test('gives up after `attempts` with exponential backoff', async () => {
		const hook = await receiver([
			{ status: 503 },
			{ status: 503 },
			{ status: 503 },
			{ status: 503 },
		]);
		harness.sandbox.addRecord({ webhooks: hook.url });
		const [report] = await harness.sandbox.deliver(buildFlatPayload(), { baseDelayMs: 30 });
		expect(report.delivered).toBe(false);
		expect(report.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
		const [t0, t1, t2] = hook.received.map((r) => r.at);
		expect(t1 - t0).toBeGreaterThanOrEqual(25);
		expect(t2 - t1).toBeGreaterThanOrEqual(55);
		const [once] = await harness.sandbox.deliver(buildFlatPayload(), { attempts: 1 });
		expect(once.attempts).toHaveLength(1);
	});

	test('a slow receiver times out and the retry succeeds; refused connections are reported', async () => {
		const hook = await receiver([{ delayMs: 600 }, { status: 204, body: '' }]);
		harness.sandbox.addRecord({ webhooks: hook.url });
		const started = Date.now();
		const [report] = await harness.sandbox.deliver(buildFlatPayload(), { timeoutMs: 150 });
		expect(report.attempts.map((a) => a.error ?? a.status)).toEqual(['timeout', 204]);
		expect(report.attempts[0].ms).toBeGreaterThanOrEqual(140);
		expect(report.delivered).toBe(true);
		expect(Date.now() - started).toBeLessThan(550);

		const gone = await startReceiver();
		await gone.close();
		const closed = await WhatsAbleSandbox.start({ quiet: true });
		try {
			closed.addRecord({ webhooks: gone.url });
			const [refused] = await closed.deliver(buildFlatPayload(), { attempts: 2, baseDelayMs: 1 });
			expect(refused.attempts.map((a) => a.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
			expect(refused.delivered).toBe(false);
			expect(refused.body).toBe('');
		} finally {
			await closed.stop();
		}
	});
});

// --- control endpoints -------------------------------------------------------------------------

describe('control endpoints', () => {
	test('deliver and state need the token, skip the origin check and are not recorded', async () => {
		const hook = await receiver();
		const { signature_secret } = harness.sandbox.addRecord({
			webhooks: hook.url,
			active_signature: true,
		});
		const secret = signature_secret ?? '';

		const denied = await call(harness.sandbox, 'POST', '/__sandbox/deliver', {
			token: null,
			body: {},
		});
		expect(denied.status).toBe(401);
		expect(hook.received).toHaveLength(0);

		const res = await call(harness.sandbox, 'POST', '/__sandbox/deliver', {
			origin: null,
			body: { build: { text: 'ctl', labels: ['x'] }, scheme: 'hmac-prefixed' },
		});
		expect(res.status).toBe(200);
		expect(
			asArray(res.json).map((r) => [asRecord(r).id, (r as { delivered: boolean }).delivered]),
		).toEqual([[1, true]]);
		const got = hook.received[0];
		expect(parseJson(got.body)).toMatchObject({ last_message_of_user: 'ctl', labels: 'x' });
		expect(got.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(got.body, secret)}`);

		const exact = '{"incoming_message":true,  "x":1}';
		await call(harness.sandbox, 'POST', '/__sandbox/deliver', {
			body: { payloadBase64: Buffer.from(exact).toString('base64') },
		});
		expect(hook.received[1].body.toString('utf8')).toBe(exact);

		const bad = await call(harness.sandbox, 'POST', '/__sandbox/deliver', {
			body: { build: { media: 'gif' } },
		});
		expect(bad.status).toBe(400);
		const badDir = await call(harness.sandbox, 'POST', '/__sandbox/deliver', {
			body: { direction: 'sideways' },
		});
		expect(badDir.status).toBe(400);

		await call(harness.sandbox, 'GET', '/webhook/dev');
		const state = await call(harness.sandbox, 'GET', '/__sandbox/state', { origin: null });
		expect(state.status).toBe(200);
		expect(state.json).toEqual({
			records: harness.sandbox.records(),
			calls: 1,
			settings: { sessionTtlMs: harness.sandbox.sessionTtlMs, ownerChecks: false },
		});
		expect(state.text.includes(secret)).toBe(false);
		expect((await call(harness.sandbox, 'GET', '/__sandbox/state', { token: 'nope' })).status).toBe(
			401,
		);
		expect(harness.sandbox.calls.map((c) => c.path)).toEqual([`${API_PREFIX}/webhook/dev`]);
	});
});
