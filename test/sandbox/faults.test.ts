import { API_PREFIX } from '../../sandbox';
import { call, asRecord, asArray, FULL, SECRET_RE, useSandbox } from '../support/sandboxClient';

const harness = useSandbox();

describe('seeding and faults', () => {
	test('addRecord seeds like the dashboard; deleteOutOfBand removes behind the client', async () => {
		const seeded = harness.sandbox.addRecord({
			webhooks: 'https://e.test/seed',
			active_signature: true,
		});
		expect(seeded).toMatchObject({
			id: 1,
			status: true,
			incoming: true,
			outgoing: false,
			active_signature: true,
		});
		expect(SECRET_RE.test(seeded.signature_secret ?? '')).toBe(true);
		const fixed = harness.sandbox.addRecord({
			webhooks: 'https://e.test/seed2',
			active_signature: true,
			signature_secret: 'k',
		});
		expect(harness.sandbox.secretOf(fixed.id)).toBe('k');
		expect(() => harness.sandbox.addRecord({ webhooks: 'https://e.test/seed' })).toThrow(
			'Same webhook exist',
		);
		const legacy = harness.sandbox.addRecord({
			webhooks: 'https://e.test/old',
			extra: { is_incoming_outgoing_enable: true },
		});
		expect((legacy as unknown as Record<string, unknown>).is_incoming_outgoing_enable).toBe(true);

		harness.sandbox.deleteOutOfBand(1);
		const list = asArray((await call(harness.sandbox, 'GET', '/webhook/dev')).json);
		expect(list.map((r) => asRecord(r).id)).toEqual([2, 3]);
		const patch = await call(harness.sandbox, 'PATCH', '/webhook/dev/1', {
			body: { ...FULL, webhooks: 'https://e.test/seed' },
		});
		expect(patch.status).toBe(404);
		expect(() => harness.sandbox.deleteOutOfBand(1)).toThrow();
		// No management call was made by seeding or deleting out of band.
		expect(harness.sandbox.calls.map((c) => c.method)).toEqual(['GET', 'PATCH']);
	});

	test('a status burst answers `times` calls, then the API behaves again', async () => {
		harness.sandbox.injectFault({ method: 'GET', path: '/webhook/dev', status: 503, times: 2 });
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++)
			statuses.push((await call(harness.sandbox, 'GET', '/webhook/dev')).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect(harness.sandbox.calls.map((c) => c.status)).toEqual([503, 503, 200]);
	});

	test('Retry-After, custom bodies, RegExp paths and injection order', async () => {
		harness.sandbox.injectFault({
			path: /\/webhook\/dev\/\d+$/,
			method: 'patch',
			status: 500,
			body: { message: 'boom' },
		});
		harness.sandbox.injectFault({ status: 429, retryAfter: 7 });
		// The first fault only matches PATCH, so this GET takes the second one.
		const limited = await call(harness.sandbox, 'GET', '/webhook/dev');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('7');
		expect(limited.json).toEqual({ message: 'Too Many Requests' });
		const patched = await call(harness.sandbox, 'PATCH', '/webhook/dev/5', { body: {} });
		expect([patched.status, patched.json]).toEqual([500, { message: 'boom' }]);
		expect((await call(harness.sandbox, 'PATCH', '/webhook/dev/5', { body: {} })).status).toBe(404);

		harness.sandbox.injectFault({ status: 502, times: 5 });
		harness.sandbox.clearFaults();
		expect((await call(harness.sandbox, 'GET', '/webhook/dev')).status).toBe(200);
	});

	test('slow answers and dropped connections', async () => {
		harness.sandbox.injectFault({ path: `${API_PREFIX}/webhook/dev`, delayMs: 250 });
		let started = Date.now();
		const slow = await call(harness.sandbox, 'GET', '/webhook/dev');
		expect(slow.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);

		harness.sandbox.injectFault({ delayMs: 150, status: 504 });
		started = Date.now();
		expect((await call(harness.sandbox, 'GET', '/webhook/dev')).status).toBe(504);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		harness.sandbox.injectFault({ dropConnection: true });
		await expect(call(harness.sandbox, 'GET', '/webhook/dev')).rejects.toThrow();
		expect(harness.sandbox.calls[harness.sandbox.calls.length - 1].status).toBe(0);
		started = Date.now();
		expect((await call(harness.sandbox, 'GET', '/webhook/dev')).status).toBe(200);
		expect(Date.now() - started).toBeLessThan(200);
	});
});
