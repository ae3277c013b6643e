/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev tooling, not shipped in the package */
/**
 * Memory: n8n's resident set (main process, /proc/<pid>/status VmRSS; the task runner is a
 * separate process and not counted) after 1,500 and 3,000 distinct signed deliveries to one side,
 * each side in a fresh n8n with the same settings: ours against the pass-through anchor. The
 * duplicate window is full at 1,000, so ours must not grow between 1,500 and 3,000.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nStack } from '../scripts/n8n';
import { runLoad } from '../test/support/load';
import { ANCHOR_DIR } from './lib/anchor';
import { BENCH_N8N_ENV, publishSides } from './n8nBench';

export interface MemorySide {
	/** RSS in MB after publishing, after the first half and after all deliveries. */
	startMb: number;
	halfMb: number;
	endMb: number;
	executions: number;
}

export interface MemoryResult {
	deliveries: number;
	env: Record<string, string>;
	ours: MemorySide;
	anchor: MemorySide;
}

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]) / 1024;
}

async function oneSide(
	side: 'ours' | 'anchor',
	opts: { deliveries: number; env: Record<string, string>; historyLength: number; echo?: boolean },
): Promise<MemorySide> {
	const log = (line: string) => console.error(`[memory] ${side}: ${line}`);
	const stack = await N8nStack.start({
		env: opts.env,
		echo: opts.echo,
		localPackages: [ANCHOR_DIR],
	});
	try {
		const { urls, requestsFor } = await publishSides(stack, [side], {
			historyLength: opts.historyLength,
		});
		const pid = stack.n8n.pid;
		if (pid === undefined) throw new Error('n8n is not running');
		// n8n settles after start-up (lazy module loading, first executions): a short warm-up first.
		const settle = async (expected: number): Promise<number> => {
			await stack.sink.waitForCount(side, expected, 180_000).catch(() => undefined);
			await sleep(3000);
			return rssMb(pid);
		};
		let sent = 0;
		const deliver = async (count: number): Promise<void> => {
			const result = await runLoad(urls[side], requestsFor(count), {
				concurrency: 10,
				timeLimitMs: 600_000,
			});
			sent += result.ok;
		};
		const warmup = 50;
		await deliver(warmup);
		const startMb = await settle(sent);
		const half = Math.floor(opts.deliveries / 2);
		await deliver(half - warmup);
		const halfMb = await settle(sent);
		log(`${half} deliveries: ${halfMb.toFixed(1)} MB`);
		await deliver(opts.deliveries - half);
		const endMb = await settle(sent);
		const executions = stack.sink.bodiesFor(side).length;
		log(`${opts.deliveries} deliveries: ${endMb.toFixed(1)} MB (${executions} executions)`);
		return { startMb, halfMb, endMb, executions };
	} finally {
		await stack.stop();
	}
}

/** Ours, then the anchor, each in its own fresh n8n. */
export async function runMemoryBench(opts: {
	deliveries: number;
	extraEnv: Record<string, string>;
	historyLength: number;
	echo?: boolean;
}): Promise<MemoryResult> {
	const env = { ...BENCH_N8N_ENV, ...opts.extraEnv };
	const common = {
		deliveries: opts.deliveries,
		env,
		historyLength: opts.historyLength,
		echo: opts.echo,
	};
	const ours = await oneSide('ours', common);
	const anchor = await oneSide('anchor', common);
	return { deliveries: opts.deliveries, env, ours, anchor };
}
