import { AUTH_API_PREFIX, DEFAULT_EMAIL, SANDBOX_USER_ID, WhatsAbleSandbox } from '../../sandbox';
import { call, login, sessionOf, testClock, useSandbox } from '../support/sandboxClient';

const clock = testClock();
const harness = useSandbox({ now: clock.now });
const ME = `${AUTH_API_PREFIX}/auth/me`;
const JWT_RE = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/;
const PRECONDITION = { code: 'ERROR_CODE_PRECONDITION_FAILED', message: 'Precondition failed' };
const EXPIRED = { message: 'Invalid or expired token' };

/** The status of a webhook list made with this token. */
async function listStatus(sb: WhatsAbleSandbox, token: string): Promise<number> {
	return (await call(sb, 'GET', '/webhook/dev', { token })).status;
}

describe('login and sessions', () => {
	test('login answers a fresh JWT-like authToken that the webhook API and /auth/me accept', async () => {
		const sb = harness.sandbox;
		const res = await login(sb, sb.email, sb.password);
		expect(res.status).toBe(200);
		expect(Object.keys(res.json as object)).toEqual(['authToken']);
		const token = (res.json as { authToken: string }).authToken;
		expect(JWT_RE.test(token)).toBe(true);
		expect(await listStatus(sb, token)).toBe(200);

		const me = await call(sb, 'GET', ME, { token });
		expect(me.status).toBe(200);
		expect(me.json).toEqual({
			id: SANDBOX_USER_ID,
			name: expect.any(String),
			email: DEFAULT_EMAIL,
			role: 'Admin',
			phone_number: null,
			created_at: expect.any(Number),
		});
		// The email is compared lower-cased; each login is a new session.
		const again = await sessionOf(sb, DEFAULT_EMAIL.toUpperCase(), sb.password);
		expect(again === token).toBe(false);
		expect(sb.logins).toBe(2);
		// The static token is a session of the same account.
		expect((await call(sb, 'GET', ME)).json).toEqual(me.json);
	});

	test('a wrong password, an unknown email and an Admin login from another origin get the same 400', async () => {
		const sb = harness.sandbox;
		const refusals = [
			await login(sb, sb.email, `${sb.password}x`),
			await login(sb, 'nobody@sandbox.test', sb.password),
			await login(sb, sb.email, sb.password, 'https://evil.test'),
			await login(sb, sb.email, sb.password, null),
		];
		expect(refusals.map((r) => [r.status, r.json])).toEqual(
			refusals.map(() => [400, PRECONDITION]),
		);
		expect((await login(sb, sb.email, '')).status).toBe(400);
		const missing = await call(sb, 'POST', `${AUTH_API_PREFIX}/auth/login`, {
			token: null,
			body: { email: sb.email },
		});
		expect([missing.status, missing.json]).toEqual([400, { message: 'Missing param: password' }]);
		expect(sb.logins).toBe(0);
		// A Member does not log in through the console, so its Origin is not checked.
		const member = sb.addAccount({ email: 'agent@sandbox.test', password: 'pw', role: 'Member' });
		expect((await login(sb, member.email, member.password, null)).status).toBe(200);
	});

	test('without the origin check an Admin logs in from anywhere; the default password is random', async () => {
		const open = await WhatsAbleSandbox.start({ quiet: true, requireOrigin: null });
		try {
			expect((await login(open, open.email, open.password, null)).status).toBe(200);
			// Not given, the password is random per sandbox.
			expect(open.password === harness.sandbox.password).toBe(false);
		} finally {
			await open.stop();
		}
	});

	test('a session ends when its lifetime has passed on the injected clock; the static token never does', async () => {
		const sb = harness.sandbox;
		const token = await sessionOf(sb, sb.email, sb.password);
		clock.advance(sb.sessionTtlMs - 1);
		expect(await listStatus(sb, token)).toBe(200);
		clock.advance(1);
		const expired = await call(sb, 'GET', '/webhook/dev', { token });
		expect([expired.status, expired.json]).toEqual([401, EXPIRED]);
		const me = await call(sb, 'GET', ME, { token });
		expect([me.status, me.json]).toEqual([401, EXPIRED]);
		clock.advance(365 * 24 * 3600 * 1000);
		expect(await listStatus(sb, sb.token)).toBe(200);
		// The way back is to log in again.
		expect(await listStatus(sb, await sessionOf(sb, sb.email, sb.password))).toBe(200);
	});

	test('setSessionTtl shortens sessions already issued as well as new ones', async () => {
		const sb = harness.sandbox;
		const token = await sessionOf(sb, sb.email, sb.password);
		clock.advance(60_000);
		expect(await listStatus(sb, token)).toBe(200);
		sb.setSessionTtl(60_000);
		expect(await listStatus(sb, token)).toBe(401);
		const fresh = sb.login();
		clock.advance(59_999);
		expect(await listStatus(sb, fresh)).toBe(200);
		clock.advance(1);
		expect(await listStatus(sb, fresh)).toBe(401);
		expect(() => sb.setSessionTtl(-1)).toThrow(RangeError);
	});

	test('the sessionTtlMs option sets the lifetime', async () => {
		const sb = await WhatsAbleSandbox.start({ quiet: true, now: clock.now, sessionTtlMs: 5_000 });
		try {
			const token = sb.login();
			clock.advance(4_999);
			expect(await listStatus(sb, token)).toBe(200);
			clock.advance(1);
			expect(await listStatus(sb, token)).toBe(401);
		} finally {
			await sb.stop();
		}
	});

	test('expireSessions ends every login session but the static token; revokeToken ends one', async () => {
		const sb = harness.sandbox;
		const [a, b] = [sb.login(), sb.login()];
		expect(sb.revokeToken(a)).toBe(true);
		expect(sb.revokeToken(a)).toBe(false);
		expect([await listStatus(sb, a), await listStatus(sb, b)]).toEqual([401, 200]);
		sb.expireSessions();
		expect([await listStatus(sb, b), await listStatus(sb, sb.token)]).toEqual([401, 200]);

		expect(sb.revokeToken(sb.token)).toBe(true);
		expect(await listStatus(sb, sb.token)).toBe(401);
		// The control endpoints are the sandbox's own door, not the API: they still open.
		expect((await call(sb, 'GET', '/__sandbox/state')).status).toBe(200);
	});

	test('login() follows the HTTP rules and counts as a login', () => {
		const sb = harness.sandbox;
		expect(JWT_RE.test(sb.login())).toBe(true);
		expect(() => sb.login(sb.email, 'wrong')).toThrow('Precondition failed');
		expect(() => sb.login('nobody@sandbox.test')).toThrow('Precondition failed');
		expect(sb.logins).toBe(1);
	});

	test('the account option fixes the default login', async () => {
		const sb = await WhatsAbleSandbox.start({
			quiet: true,
			account: { email: 'Dev@Example.test', password: 'correct horse' },
		});
		try {
			expect((await login(sb, 'dev@example.test', 'correct horse')).status).toBe(200);
			expect((await login(sb, DEFAULT_EMAIL, 'correct horse')).status).toBe(400);
		} finally {
			await sb.stop();
		}
	});

	test('accounts: each gets a random userId; an email is taken once, whatever its case', async () => {
		const sb = harness.sandbox;
		const a = sb.addAccount({ email: 'a@sandbox.test', password: 'pa' });
		const b = sb.addAccount({
			email: 'b@sandbox.test',
			password: 'pb',
			role: 'Member',
			name: 'Bea',
		});
		expect(a.role).toBe('Admin');
		expect(new Set([a.userId, b.userId, SANDBOX_USER_ID]).size).toBe(3);
		expect(() => sb.addAccount({ email: 'A@SANDBOX.TEST', password: 'x' })).toThrow();
		const me = await call(sb, 'GET', ME, { token: sb.login(b.email, b.password) });
		expect(me.json).toMatchObject({ id: b.userId, name: 'Bea', email: b.email, role: 'Member' });
	});

	test('recorded calls never hold a password, parsed or not', async () => {
		const sb = harness.sandbox;
		await login(sb, sb.email, sb.password);
		await call(sb, 'POST', `${AUTH_API_PREFIX}/auth/login`, {
			token: null,
			raw: `{"email":"${sb.email}","password":"${sb.password}"`,
		});
		expect(sb.calls.map((c) => [c.status, c.body])).toEqual([
			[200, { email: sb.email, password: '[REDACTED]' }],
			[400, '[REDACTED]'],
		]);
		expect(JSON.stringify(sb.calls).includes(sb.password)).toBe(false);
	});
});
