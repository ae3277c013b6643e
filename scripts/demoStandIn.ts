/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * `WHATSABLE_DEMO_STAND_IN=1 npm start`: the demo's stack without the build and without a real
 * n8n, for the test that `npm start` stops everything it started (test/scripts/demo.test.ts).
 * It starts what the real demo starts, the same way: the WhatsAble sandbox in the demo's process,
 * and an "n8n" run by the harness's own `startN8n` (its own process group, ready line, /healthz)
 * that starts a "task runner" child, as n8n does. The stand-in n8n is a few lines of JavaScript
 * written to a temporary folder. Ports are always free ones, never 5678 or 5680.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { WhatsAbleSandbox } from '../sandbox';
import { startN8n } from './n8n';

export const STAND_IN_ENV = 'WHATSABLE_DEMO_STAND_IN';

/** n8n in miniature: a task runner child, /healthz on N8N_PORT, then n8n's ready line. */
const STAND_IN_N8N = `
const { spawn } = require('node:child_process');
const { createServer } = require('node:http');
const runner = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
createServer((req, res) => res.end('{"status":"ok"}')).listen(Number(process.env.N8N_PORT), '127.0.0.1', () => {
	console.log('task runner pid ' + runner.pid);
	console.log('Editor is now accessible via: http://127.0.0.1:' + process.env.N8N_PORT);
});
`;

export interface StandInStack {
	/** Lines for the demo's banner: the URLs and process ids a test checks after the stop. */
	describe(): string[];
	stop(): Promise<void>;
}

export async function startStandInStack(): Promise<StandInStack> {
	const dir = mkdtempSync(path.join(tmpdir(), 'whatsable-demo-stand-in-'));
	const bin = path.join(dir, 'n8n.cjs');
	writeFileSync(bin, STAND_IN_N8N);
	const sandbox = await WhatsAbleSandbox.start({ port: 0, quiet: true });
	const stopSandbox = async () => await sandbox.stop().catch(() => undefined);
	try {
		const n8n = await startN8n({
			install: { dir, node: process.execPath, bin },
			userFolder: dir,
			startTimeoutMs: 15_000,
		});
		const runnerPid = /task runner pid (\d+)/.exec(n8n.logs)?.[1] ?? '?';
		return {
			describe: () => [
				`  n8n (stand-in):  ${n8n.baseUrl} pid ${String(n8n.pid)}, task runner pid ${runnerPid}`,
				`  sandbox:         ${sandbox.baseUrl}`,
			],
			stop: async () => {
				await n8n.close().catch(() => undefined);
				await stopSandbox();
				rmSync(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await stopSandbox();
		rmSync(dir, { recursive: true, force: true });
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- dev tooling, not a node
		throw error;
	}
}
