import { request } from 'undici';

import { API_PREFIX, DEFAULT_ORIGIN, SANDBOX_USER_ID, WhatsAbleSandbox } from '../../sandbox';
import { call, asRecord, asArray, FULL, SECRET_RE, useSandbox } from '../support/sandboxClient';

const harness = useSandbox();

describe('management API', () => {
	test('create returns the documented record; ids increase; list is a bare array', async () => {
		const before = Date.now();
		const a = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/a', outgoing: undefined },
		});
		const after = Date.now();
		expect(a.status).toBe(200);
		const rec = asRecord(a.json);
		expect(Object.keys(rec)).toEqual([
			'id',
			'created_at',
			'webhooks',
			'status',
			'incoming',
			'outgoing',
			'schedule_activity',
			'waiting_duration',
			'signature_secret',
			'active_signature',
			'user_id',
		]);
		expect(rec).toMatchObject({
			id: 1,
			webhooks: 'https://example.test/a',
			status: true,
			incoming: true,
			outgoing: false,
			schedule_activity: false,
			waiting_duration: 0,
			signature_secret: null,
			active_signature: false,
			user_id: SANDBOX_USER_ID,
		});
		expect(rec.created_at).toBeGreaterThanOrEqual(before);
		expect(rec.created_at).toBeLessThanOrEqual(after);

		const b = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/b', outgoing: true, waiting_duration: 3600 },
		});
		expect(asRecord(b.json)).toMatchObject({ id: 2, outgoing: true, waiting_duration: 3600 });

		const list = await call(harness.sandbox, 'GET', '/webhook/dev');
		expect(list.status).toBe(200);
		expect(asArray(list.json).map((r) => asRecord(r).webhooks)).toEqual([
			'https://example.test/a',
			'https://example.test/b',
		]);
		expect(list.json).toEqual(harness.sandbox.records());
	});

	test('signature secret is shown once at creation, 171 chars base64url, then null', async () => {
		const created = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/signed', active_signature: true },
		});
		const rec = asRecord(created.json);
		const secret = rec.signature_secret;
		expect(typeof secret).toBe('string');
		// Boolean assertions so a failure never prints the secret.
		expect(SECRET_RE.test(secret ?? '')).toBe(true);
		expect(Buffer.from(secret ?? '', 'base64url').length).toBe(128);
		expect(harness.sandbox.secretOf(rec.id) === secret).toBe(true);

		const list = asArray((await call(harness.sandbox, 'GET', '/webhook/dev')).json);
		expect(asRecord(list[0]).signature_secret).toBeNull();
		expect(asRecord(list[0]).active_signature).toBe(true);
		expect(harness.sandbox.records()[0].signature_secret).toBeNull();

		const other = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/signed2', active_signature: true },
		});
		expect(asRecord(other.json).signature_secret === secret).toBe(false);
	});

	test('PATCH replaces the whole record and only reveals a newly generated secret', async () => {
		const { id } = asRecord(
			(
				await call(harness.sandbox, 'POST', '/webhook/dev/create', {
					body: { ...FULL, webhooks: 'https://e.test/p' },
				})
			).json,
		);
		const changes = {
			id,
			webhooks: 'https://e.test/p2',
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 1800,
			active_signature: true,
		};
		const patched = await call(harness.sandbox, 'PATCH', `/webhook/dev/${id}`, {
			body: { ...FULL, ...changes },
		});
		expect(patched.status).toBe(200);
		const rec = asRecord(patched.json);
		expect(rec).toMatchObject(changes);
		expect(SECRET_RE.test(rec.signature_secret ?? '')).toBe(true);
		expect(harness.sandbox.secretOf(id) === rec.signature_secret).toBe(true);

		const again = await call(harness.sandbox, 'PATCH', `/webhook/dev/${id}`, {
			body: { ...FULL, webhooks: 'https://e.test/p2', active_signature: true },
		});
		expect(again.status).toBe(200);
		expect(asRecord(again.json).signature_secret).toBeNull();
		expect(asRecord(again.json).outgoing).toBe(false);
		expect(harness.sandbox.secretOf(id) === rec.signature_secret).toBe(true);
	});

	test('partial or mistyped PATCH is rejected with 400 and leaves the record alone', async () => {
		const { id } = asRecord(
			(
				await call(harness.sandbox, 'POST', '/webhook/dev/create', {
					body: { ...FULL, webhooks: 'https://e.test/x' },
				})
			).json,
		);
		const whole: Record<string, unknown> = { ...FULL, webhooks: 'https://e.test/y' };
		// Every writable field: the whole record minus what the API sets.
		for (const field of Object.keys(whole)) {
			const body = { ...whole };
			delete body[field];
			const res = await call(harness.sandbox, 'PATCH', `/webhook/dev/${id}`, { body });
			expect([field, res.status]).toEqual([field, 400]);
			expect(String((res.json as { message?: unknown }).message)).toContain(field);
		}
		const wrong: Array<[string, unknown]> = [
			['status', 'true'],
			['incoming', 1],
			['waiting_duration', 1.5],
			['waiting_duration', '30'],
			['webhooks', 42],
			['active_signature', null],
		];
		for (const [field, value] of wrong) {
			const res = await call(harness.sandbox, 'PATCH', `/webhook/dev/${id}`, {
				body: { ...whole, [field]: value },
			});
			expect([field, res.status]).toEqual([field, 400]);
		}
		expect(harness.sandbox.records()[0].webhooks).toBe('https://e.test/x');
		// Create requires the same fields, except outgoing.
		const missing = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { webhooks: 'https://e.test/z', status: true },
		});
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ message: 'Missing param: incoming' });
	});

	test('URLs are unique per account on create and on PATCH', async () => {
		await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/2' },
		});
		const dup = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		expect(dup.status).toBe(400);
		expect(dup.text).toBe('{"message":"Same webhook exist"}');
		const dupPatch = await call(harness.sandbox, 'PATCH', '/webhook/dev/2', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		expect(dupPatch.status).toBe(400);
		expect(dupPatch.json).toEqual({ message: 'Same webhook exist' });
		const self = await call(harness.sandbox, 'PATCH', '/webhook/dev/1', {
			body: { ...FULL, webhooks: 'https://e.test/1', status: false },
		});
		expect(self.status).toBe(200);
		expect(harness.sandbox.records().map((r) => [r.id, r.webhooks, r.status])).toEqual([
			[1, 'https://e.test/1', false],
			[2, 'https://e.test/2', true],
		]);
	});

	test('DELETE answers 200 with an empty body; unknown ids are 404', async () => {
		await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/d' },
		});
		const del = await call(harness.sandbox, 'DELETE', '/webhook/dev/1');
		expect(del.status).toBe(200);
		expect(del.text).toBe('');
		expect(harness.sandbox.records()).toEqual([]);
		for (const [method, route] of [
			['DELETE', '/webhook/dev/1'],
			['PATCH', '/webhook/dev/99'],
			['DELETE', '/webhook/dev/abc'],
		] as const) {
			const res = await call(harness.sandbox, method, route, {
				body: { ...FULL, webhooks: 'https://e.test/n' },
			});
			expect([method, route, res.status, res.json]).toEqual([
				method,
				route,
				404,
				{ message: 'Not found' },
			]);
		}
	});

	test('bearer token: missing, wrong or non-bearer is 401 with a message', async () => {
		for (const token of [null, 'wrong-token']) {
			const res = await call(harness.sandbox, 'GET', '/webhook/dev', { token });
			expect(res.status).toBe(401);
			expect(typeof (res.json as { message?: unknown }).message).toBe('string');
		}
		const res = await request(`${harness.sandbox.baseUrl}${API_PREFIX}/webhook/dev`, {
			headers: { authorization: `Token ${harness.sandbox.token}`, origin: DEFAULT_ORIGIN },
		});
		await res.body.text();
		expect(res.statusCode).toBe(401);
		expect(harness.sandbox.records()).toEqual([]);
	});

	test('origin check: missing or different origin is 403; requireOrigin null disables it', async () => {
		expect((await call(harness.sandbox, 'GET', '/webhook/dev', { origin: null })).status).toBe(403);
		const other = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			origin: 'https://evil.test',
			body: { ...FULL, webhooks: 'https://e.test/o' },
		});
		expect(other.status).toBe(403);
		expect(harness.sandbox.records()).toEqual([]);
		expect(harness.sandbox.origin).toBe('https://console.notifyer-systems.com');

		const open = await WhatsAbleSandbox.start({ quiet: true, requireOrigin: null });
		try {
			expect(open.origin).toBeNull();
			const res = await call(open, 'GET', '/webhook/dev', { origin: null });
			expect(res.status).toBe(200);
			expect(res.json).toEqual([]);
		} finally {
			await open.stop();
		}
		const custom = await WhatsAbleSandbox.start({ quiet: true, requireOrigin: 'https://x.test' });
		try {
			expect((await call(custom, 'GET', '/webhook/dev')).status).toBe(403);
			expect((await call(custom, 'GET', '/webhook/dev', { origin: 'https://x.test' })).status).toBe(
				200,
			);
		} finally {
			await custom.stop();
		}
	});

	test('invalid JSON is 400, unknown routes are 404, and calls are recorded redacted', async () => {
		const bad = await call(harness.sandbox, 'POST', '/webhook/dev/create', {
			raw: '{"webhooks": ',
		});
		expect(bad.status).toBe(400);
		expect(typeof (bad.json as { message?: unknown }).message).toBe('string');
		expect((await call(harness.sandbox, 'GET', '/webhook/other')).status).toBe(404);
		expect((await call(harness.sandbox, 'GET', '/webhook/dev/create')).status).toBe(404);
		expect((await call(harness.sandbox, 'PUT', '/webhook/dev/1', { body: {} })).status).toBe(404);
		const notApi = await request(`${harness.sandbox.baseUrl}/nothing`);
		await notApi.body.text();
		expect(notApi.statusCode).toBe(404);

		expect(harness.sandbox.calls.map((c) => [c.method, c.path, c.status])).toEqual([
			['POST', `${API_PREFIX}/webhook/dev/create`, 400],
			['GET', `${API_PREFIX}/webhook/other`, 404],
			['GET', `${API_PREFIX}/webhook/dev/create`, 404],
			['PUT', `${API_PREFIX}/webhook/dev/1`, 404],
			['GET', '/nothing', 404],
		]);
		expect(harness.sandbox.calls[0].body).toBe('{"webhooks": ');
		expect(harness.sandbox.calls[0].headers.authorization).toBe('[REDACTED]');
		expect(harness.sandbox.calls[0].headers.origin).toBe(DEFAULT_ORIGIN);
		expect(harness.sandbox.calls[3].body).toEqual({});
		expect(typeof harness.sandbox.calls[0].at).toBe('number');
		expect(JSON.stringify(harness.sandbox.calls).includes(harness.sandbox.token)).toBe(false);
		harness.sandbox.clearCalls();
		expect(harness.sandbox.calls).toHaveLength(0);
	});
});
