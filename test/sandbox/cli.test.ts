/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { request } from 'undici';

import { API_PREFIX, AUTH_API_PREFIX, DEFAULT_ORIGIN } from '../../sandbox';
import { hmacHex } from '../../scripts/lib/signing';
import * as client from '../support/sandboxClient';

const ROOT = path.resolve(__dirname, '../..');

const harness = client.useSandbox();
const { receiver } = harness;

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(
			() => reject(new Error('CLI did not print its URL in time')),
			timeoutMs,
		);
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString('utf8');
			const m = pattern.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.once('exit', () => {
			clearTimeout(timer);
			reject(new Error('CLI exited early'));
		});
	});
}

/** The CLI as `npm run sandbox` runs it: tsx on the TypeScript source. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- running the CLI is what this test is for
	return spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['sandbox/cli.ts', ...args], {
		cwd: ROOT,
		env,
	});
}

function run(
	args: string[],
	env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawnCli(args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
		child.once('error', reject);
		child.once('exit', (code) => resolve({ code, stdout, stderr }));
	});
}

interface ServeState {
	baseUrl: string;
	token: string;
	email: string;
	password: string;
}

/** One `serve` for the whole file: tsx compiles the CLI at each start, slow on a busy 2-core machine. */
describe('CLI', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'whatsable-sandbox-'));
	const stateFile = path.join(dir, 'state.json');
	const env: NodeJS.ProcessEnv = { ...process.env, WHATSABLE_SANDBOX_STATE: stateFile };
	delete env.WHATSABLE_SANDBOX_URL;
	delete env.WHATSABLE_SANDBOX_TOKEN;
	const login = { email: 'cli@sandbox.test', password: 'cli-password-1' };
	let server: ChildProcessWithoutNullStreams;
	let exited: Promise<number | null>;
	let serverOut = '';
	let baseUrl: string;
	let state: ServeState;

	function api(
		method: 'POST' | 'DELETE',
		route: string,
		body?: unknown,
		token?: string,
	): ReturnType<typeof request> {
		const headers: Record<string, string> = {
			origin: DEFAULT_ORIGIN,
			'content-type': 'application/json',
		};
		if (token !== undefined) headers.authorization = `Bearer ${token}`;
		return request(`${baseUrl}${route}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	}

	beforeAll(async () => {
		server = spawnCli(
			[
				'serve',
				'--port',
				'0',
				'--email',
				login.email,
				'--password',
				login.password,
				'--session-ttl',
				'90',
				'--owner-checks',
			],
			env,
		);
		server.stdout.on('data', (c: Buffer) => (serverOut += c.toString('utf8')));
		exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
		baseUrl = await waitForOutput(server, /base URL: (http:\/\/127\.0\.0\.1:\d+)/, 45_000);
		state = JSON.parse(readFileSync(stateFile, 'utf8')) as ServeState;
	}, 90_000);

	afterAll(async () => {
		server.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(existsSync(stateFile)).toBe(false);
		rmSync(dir, { recursive: true, force: true });
	});

	test('serve prints the login and keeps it in the state file; it logs in', async () => {
		expect(state.baseUrl).toBe(baseUrl);
		expect(serverOut).toContain(`email:    ${state.email}`);
		expect(serverOut).toContain(`password: ${state.password}`);
		const res = await api('POST', `${AUTH_API_PREFIX}/auth/login`, {
			email: login.email,
			password: login.password,
		});
		expect(res.statusCode).toBe(200);
		const { authToken } = (await res.body.json()) as { authToken: string };
		const made = await api(
			'POST',
			`${API_PREFIX}/webhook/dev/create`,
			{ ...client.FULL, webhooks: 'https://e.test/cli' },
			authToken,
		);
		expect(made.statusCode).toBe(200);
		// Gone again, so the delivery test's receiver is the only incoming one.
		const { id } = client.asRecord(await made.body.json());
		const gone = await api('DELETE', `${API_PREFIX}/webhook/dev/${id}`, undefined, authToken);
		await gone.body.text();
		expect(gone.statusCode).toBe(200);
		// The state file holds what logs in: email and password are the ones given.
		expect([state.email, state.password]).toEqual([login.email, login.password]);
	});

	test('--owner-checks and --session-ttl reach the sandbox; a bad --session-ttl is a usage error', async () => {
		const anonymous = await api('DELETE', `${API_PREFIX}/webhook/dev/1`);
		await anonymous.body.text();
		expect(anonymous.statusCode).toBe(401);
		const res = await request(`${baseUrl}/__sandbox/state`, {
			headers: { authorization: `Bearer ${state.token}` },
		});
		const { settings } = (await res.body.json()) as { settings: unknown };
		expect(settings).toEqual({ sessionTtlMs: 90_000, ownerChecks: true });

		const bad = await run(['serve', '--session-ttl', '0'], env);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--session-ttl must be an integer of at least 1');
	}, 60_000);

	test('serve + send deliver a signed message to a registered receiver', async () => {
		const token = state.token;
		const hook = await receiver();
		const created = await api(
			'POST',
			`${API_PREFIX}/webhook/dev/create`,
			{ ...client.FULL, webhooks: hook.url, active_signature: true },
			token,
		);
		expect(created.statusCode).toBe(200);
		const secret = client.asRecord(await created.body.json()).signature_secret ?? '';

		// send finds the sandbox through the state file.
		const sent = await run(['send', '--text', 'hi', '--labels', 'a,b'], env);
		expect(sent.code).toBe(0);
		expect(sent.stdout).toContain(`${hook.url} -> 200 (1 attempt)`);
		expect(hook.received).toHaveLength(1);
		const got = hook.received[0];
		expect(client.parseJson(got.body)).toMatchObject({
			last_message_of_user: 'hi',
			labels: 'a, b',
		});
		expect(got.headers['x-webhook-signature']).toBe(hmacHex(got.body, secret));

		// Nothing matches outgoing: non-zero exit.
		const none = await run(['send', '--outgoing', '--url', baseUrl, '--token', token], env);
		expect(none.code).toBe(1);
		expect(none.stderr).toContain('No registration matched');
		expect(hook.received).toHaveLength(1);

		// A failed delivery: non-zero exit, the failure listed.
		const down = await client.startReceiver();
		await down.close();
		const downMade = await api(
			'POST',
			`${API_PREFIX}/webhook/dev/create`,
			{ ...client.FULL, webhooks: down.url, incoming: false, outgoing: true },
			token,
		);
		const { id: downId } = client.asRecord(await downMade.body.json());
		const failed = await run(['send', '--outgoing', '--attempts', '1'], env);
		expect(failed.code).toBe(1);
		expect(failed.stdout).toContain(`FAIL #${downId} ${down.url} -> ECONNREFUSED (1 attempt)`);

		expect(serverOut).toContain(`POST ${API_PREFIX}/webhook/dev/create 200`);
		const leaks = serverOut
			.split('\n')
			.filter((line) => !line.includes('WHATSABLE_SANDBOX_TOKEN='))
			.filter((line) => line.includes(token) || line.includes(secret));
		expect(leaks).toHaveLength(0);
		expect(sent.stdout.includes(token) || sent.stdout.includes(secret)).toBe(false);
	}, 90_000);
});
