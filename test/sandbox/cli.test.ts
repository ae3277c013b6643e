/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { request } from 'undici';

import { API_PREFIX, DEFAULT_ORIGIN } from '../../sandbox';
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

describe('CLI', () => {
	test('serve + send deliver a signed message to a registered receiver', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'whatsable-sandbox-'));
		const stateFile = path.join(dir, 'state.json');
		const env: NodeJS.ProcessEnv = { ...process.env, WHATSABLE_SANDBOX_STATE: stateFile };
		delete env.WHATSABLE_SANDBOX_URL;
		delete env.WHATSABLE_SANDBOX_TOKEN;
		const server = spawnCli(['serve', '--port', '0'], env);
		let serverOut = '';
		server.stdout.on('data', (c: Buffer) => (serverOut += c.toString('utf8')));
		const exited = new Promise<number | null>((resolve) =>
			server.once('exit', (code) => resolve(code)),
		);
		try {
			const baseUrl = await waitForOutput(server, /base URL: (http:\/\/127\.0\.0\.1:\d+)/, 45_000);
			const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
				baseUrl: string;
				token: string;
			};
			expect(state.baseUrl).toBe(baseUrl);
			const token = state.token;

			const hook = await receiver();
			const created = await request(`${baseUrl}${API_PREFIX}/webhook/dev/create`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					origin: DEFAULT_ORIGIN,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ ...client.FULL, webhooks: hook.url, active_signature: true }),
			});
			expect(created.statusCode).toBe(200);
			const secret = client.asRecord(await created.body.json()).signature_secret ?? '';

			// send finds the sandbox through the state file.
			const sent = await run(['send', '--text', 'hi', '--labels', 'a,b'], env);
			expect(sent.code).toBe(0);
			expect(sent.stdout).toContain(`#1 ${hook.url} -> 200 (1 attempt)`);
			expect(hook.received).toHaveLength(1);
			const got = hook.received[0];
			expect(client.parseJson(got.body)).toMatchObject({
				last_message_of_user: 'hi',
				labels: 'a, b',
			});
			expect(got.headers['x-webhook-signature']).toBe(client.hmacHex(secret, got.body));

			// Nothing matches outgoing: non-zero exit.
			const none = await run(['send', '--outgoing', '--url', baseUrl, '--token', token], env);
			expect(none.code).toBe(1);
			expect(none.stderr).toContain('No registration matched');
			expect(hook.received).toHaveLength(1);

			// A failed delivery: non-zero exit, the failure listed.
			const down = await client.startReceiver();
			await down.close();
			await request(`${baseUrl}${API_PREFIX}/webhook/dev/create`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					origin: DEFAULT_ORIGIN,
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					...client.FULL,
					webhooks: down.url,
					incoming: false,
					outgoing: true,
				}),
			}).then((r) => r.body.text());
			const failed = await run(['send', '--outgoing', '--attempts', '1'], env);
			expect(failed.code).toBe(1);
			expect(failed.stdout).toContain(`FAIL #2 ${down.url} -> ECONNREFUSED (1 attempt)`);

			expect(serverOut).toContain(`POST ${API_PREFIX}/webhook/dev/create 200`);
			const leaks = serverOut
				.split('\n')
				.filter((line) => !line.includes('WHATSABLE_SANDBOX_TOKEN='))
				.filter((line) => line.includes(token) || line.includes(secret));
			expect(leaks).toHaveLength(0);
			expect(sent.stdout.includes(token) || sent.stdout.includes(secret)).toBe(false);
		} finally {
			server.kill('SIGTERM');
			const code = await exited;
			expect(code).toBe(0);
			expect(existsSync(stateFile)).toBe(false);
			rmSync(dir, { recursive: true, force: true });
		}
	}, 90_000); // tsx compiles the CLI at each start: slow on a busy 2-core machine
});
