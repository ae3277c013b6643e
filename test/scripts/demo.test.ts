/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: runs `npm start` */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import { isPortFree, waitFor } from '../../scripts/n8n/http';
import { STAND_IN_ENV } from '../../scripts/demoStandIn';
import { descendantsOf, isAlive, signalTree } from '../../scripts/processTree';

/*
 * `npm start` as package.json defines it, with the stand-in stack (no build, no real n8n: the
 * sandbox, and an "n8n" started by the harness in its own process group with a "task runner"
 * child). The signal goes to npm's pid only, as `kill <pid>` or a process manager sends it: it
 * must reach the demo, which stops everything it started.
 */
const root = path.resolve(__dirname, '../..');

interface Started {
	npm: ChildProcess;
	output: () => string;
}

function npmStart(): Started {
	const npm = spawn('npm', ['start'], {
		cwd: root,
		env: { ...process.env, [STAND_IN_ENV]: '1' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	npm.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	npm.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
	return { npm, output: () => output };
}

describe('npm start', () => {
	test.concurrent.each(['SIGTERM', 'SIGINT'] as const)(
		'stops n8n, its task runner and the sandbox when npm alone gets %s',
		async (signal) => {
			const { npm, output } = npmStart();
			const pid = npm.pid ?? 0;
			let started: number[] = [];
			try {
				const banner = await waitFor(
					'the demo banner',
					() =>
						/n8n \(stand-in\): +(\S+) pid (\d+), task runner pid (\d+)\n +sandbox: +(\S+)/.exec(
							output(),
						) ?? undefined,
					{ timeoutMs: 20_000, intervalMs: 50 },
				);
				const [, n8nUrl, n8nPid, runnerPid, sandboxUrl] = banner;
				const ports = [n8nUrl, sandboxUrl].map((url) => Number(new URL(url).port));
				started = descendantsOf(pid);
				expect(started).toEqual(expect.arrayContaining([Number(n8nPid), Number(runnerPid)]));
				for (const port of ports) expect(await isPortFree(port)).toBe(false);

				npm.kill(signal);
				await waitFor('npm to exit', () => npm.exitCode ?? npm.signalCode ?? undefined, {
					timeoutMs: 10_000,
					intervalMs: 50,
				});

				await waitFor(
					'every process npm start started to be gone',
					() => (started.every((p) => !isAlive(p)) ? true : undefined),
					{ timeoutMs: 10_000, intervalMs: 50 },
				);
				for (const port of ports) expect(await isPortFree(port)).toBe(true);
				expect(output()).toContain('[demo] stopping n8n and the sandbox');
			} finally {
				// A failed run leaves nothing behind either.
				for (const p of [pid, ...started].filter(isAlive)) signalTree(p, 'SIGKILL');
				npm.stdout?.destroy();
				npm.stderr?.destroy();
			}
		},
		30_000,
	);
});
