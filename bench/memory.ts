/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev tooling, not shipped in the package */
/**
 * Memory: n8n's main process (the task runner is a separate process and not counted) after 1,500
 * and 3,000 distinct signed deliveries to one side, each side in a fresh n8n with the same
 * settings: ours against the pass-through anchor, sides alternating round after round. Every
 * reading follows a full garbage collection forced through n8n's inspector, so it shows what n8n
 * retains rather than when V8 last collected. The duplicate window is full at 1,000, so ours must
 * not grow between 1,500 and 3,000.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nStack } from '../scripts/n8n';
import { runLoad } from '../scripts/lib/load';
import { ANCHOR_DIR } from './lib/anchor';
import { InspectorSession, inspectorUrlIn } from './lib/inspector';
import { BENCH_N8N_ENV, publishSides } from './n8nBench';

/** One reading after a forced full collection, in MB. */
export interface MemoryReading {
	/** Resident set: VmRSS of /proc/<pid>/status. */
	rssMb: number;
	/** Live objects on the V8 heap. */
	heapMb: number;
}

export interface MemoryRun {
	side: 'ours' | 'anchor';
	round: number;
	/** After a warm-up, after the first half and after all deliveries. */
	start: MemoryReading;
	half: MemoryReading;
	end: MemoryReading;
	executions: number;
}

export interface MemoryResult {
	deliveries: number;
	rounds: number;
	env: Record<string, string>;
	runs: MemoryRun[];
}

const MB = 1024 * 1024;
export const WARMUP_DELIVERIES = 50;

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]) / 1024;
}

async function oneRun(
	side: MemoryRun['side'],
	round: number,
	opts: { deliveries: number; env: Record<string, string>; historyLength: number; echo?: boolean },
): Promise<MemoryRun> {
	const log = (line: string) => console.error(`[memory] round ${round}, ${side}: ${line}`);
	// Port 0: the task runner inherits NODE_OPTIONS and gets an inspector of its own.
	const stack = await N8nStack.start({
		env: { ...opts.env, NODE_OPTIONS: '--inspect=127.0.0.1:0' },
		echo: opts.echo,
		localPackages: [ANCHOR_DIR],
	});
	let inspector: InspectorSession | undefined;
	try {
		const { urls, requestsFor } = await publishSides(stack, [side], {
			historyLength: opts.historyLength,
		});
		const pid = stack.n8n.pid;
		const url = inspectorUrlIn(stack.n8n.logs);
		if (pid === undefined || url === undefined) throw new Error('n8n runs without its inspector');
		inspector = await InspectorSession.connect(url);
		const session = inspector;
		let sent = 0;
		const deliver = async (count: number): Promise<void> => {
			const result = await runLoad(urls[side], requestsFor(count), {
				concurrency: 10,
				timeLimitMs: 600_000,
			});
			sent += result.ok;
		};
		// Once every execution reached the sink and n8n has idled, collect twice (the second pass
		// frees what the first one's finalizers released) and read.
		const settle = async (): Promise<MemoryReading> => {
			await stack.sink.waitForCount(side, sent, 180_000);
			await sleep(3000);
			await session.collectGarbage();
			await session.collectGarbage();
			const heapMb = (await session.heapUsedBytes()) / MB;
			return { rssMb: rssMb(pid), heapMb };
		};
		await deliver(WARMUP_DELIVERIES);
		const start = await settle();
		const half = Math.floor(opts.deliveries / 2);
		await deliver(half - WARMUP_DELIVERIES);
		const halfReading = await settle();
		log(
			`${half}: RSS ${halfReading.rssMb.toFixed(1)} MB, heap ${halfReading.heapMb.toFixed(1)} MB`,
		);
		await deliver(opts.deliveries - half);
		const end = await settle();
		const executions = stack.sink.bodiesFor(side).length;
		log(`${opts.deliveries}: RSS ${end.rssMb.toFixed(1)} MB, heap ${end.heapMb.toFixed(1)} MB`);
		return { side, round, start, half: halfReading, end, executions };
	} finally {
		inspector?.close();
		await stack.stop();
	}
}

/** Rounds of ours then the anchor (the order flips every round), each run in its own fresh n8n. */
export async function runMemoryBench(opts: {
	deliveries: number;
	rounds: number;
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
	const runs: MemoryRun[] = [];
	for (let round = 1; round <= opts.rounds; round++) {
		const order: Array<MemoryRun['side']> =
			round % 2 === 1 ? ['ours', 'anchor'] : ['anchor', 'ours'];
		for (const side of order) runs.push(await oneRun(side, round, common));
	}
	return { deliveries: opts.deliveries, rounds: opts.rounds, env, runs };
}
