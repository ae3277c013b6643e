/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev tooling, not shipped in the package */
/**
 * n8n's CPU time per accepted delivery: ours against the pass-through anchor in ONE n8n, runs
 * alternating (ours, anchor, ours, anchor, ...). CPU time, not throughput, because it is what a
 * user pays for and it barely moves when other work shares the machine (throughput on this
 * 2-core box swung ±13% run to run). Counted: user + system time of n8n's main process (all its
 * threads, the expression isolates included) and of every live descendant (the task runner), plus
 * the children n8n has reaped; from an idle n8n before the load to an idle n8n after the last
 * execution reached the sink, so each run holds all the work its deliveries caused.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nStack } from '../scripts/n8n';
import { runLoad } from '../scripts/lib/load';
import { ANCHOR_DIR } from './lib/anchor';
import { halfRangeSpread, median } from './lib/stats';
import { BENCH_N8N_ENV, publishSides, startedCount } from './n8nBench';

export type CpuSide = 'ours' | 'anchor';

export interface CpuRun {
	side: CpuSide;
	round: number;
	sent: number;
	accepted: number;
	executions: number;
	/** CPU milliseconds over the run: n8n's main process and its descendants. */
	mainMs: number;
	childrenMs: number;
	wallMs: number;
	/** (mainMs + childrenMs) / accepted. */
	msPerDelivery: number;
}

export interface CpuResult {
	n8nVersion: string;
	env: Record<string, string>;
	deliveries: number;
	concurrency: number;
	rounds: number;
	warmup: number;
	payloadBytes: number;
	clockTicksPerSec: number;
	runs: CpuRun[];
	/** Median CPU ms per delivery of each side. */
	ours: number;
	anchor: number;
	/** ours / anchor of the medians, and half the range of the per-round ratios over their median. */
	ratio: number;
	spread: number;
	perRound: number[];
}

export interface CpuOptions {
	deliveries: number;
	rounds: number;
	concurrency: number;
	warmup: number;
	historyLength: number;
	extraEnv?: Record<string, string>;
	echo?: boolean;
}

/** Clock ticks per second of /proc's times (USER_HZ; 100 on Linux, asked once). */
function clockTicksPerSec(): number {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: reads USER_HZ
	const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
	const value = Number(out.stdout?.trim());
	return Number.isInteger(value) && value > 0 ? value : 100;
}

interface ProcTimes {
	ppid: number;
	/** utime + stime of the process (every thread). */
	own: number;
	/** cutime + cstime: children it has waited for. */
	reaped: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procTimes(pid: number): ProcTimes | undefined {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined; // Gone between listing and reading.
	}
	// After ") ": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return {
		ppid: Number(f[1]),
		own: Number(f[11]) + Number(f[12]),
		reaped: Number(f[13]) + Number(f[14]),
	};
}

/** CPU ticks of n8n (`pid`) and, apart, of all its live descendants and reaped children. */
export function cpuTicks(pid: number): { main: number; children: number } {
	const root = procTimes(pid);
	if (!root) throw new Error(`n8n (process ${pid}) is gone`);
	const byParent = new Map<number, Array<{ pid: number; times: ProcTimes }>>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const times = procTimes(Number(name));
		if (!times) continue;
		const list = byParent.get(times.ppid) ?? [];
		list.push({ pid: Number(name), times });
		byParent.set(times.ppid, list);
	}
	let children = root.reaped;
	const stack = [pid];
	while (stack.length > 0) {
		for (const child of byParent.get(stack.pop() ?? -1) ?? []) {
			children += child.times.own + child.times.reaped;
			stack.push(child.pid);
		}
	}
	return { main: root.own, children };
}

/**
 * Waits until n8n spends at most one tick in each of two consecutive 250 ms windows (its timers
 * alone), so a run's reading holds its own tail and none of the previous run's; at most 15 s.
 */
async function settle(pid: number): Promise<void> {
	const deadline = Date.now() + 15_000;
	let quiet = 0;
	let last = cpuTicks(pid);
	while (quiet < 2 && Date.now() < deadline) {
		await sleep(250);
		const now = cpuTicks(pid);
		quiet = now.main + now.children - last.main - last.children <= 1 ? quiet + 1 : 0;
		last = now;
	}
}

export async function runCpuBench(opts: CpuOptions): Promise<CpuResult> {
	const log = (line: string) => console.error(`[cpu] ${line}`);
	const env = { ...BENCH_N8N_ENV, ...opts.extraEnv };
	const hz = clockTicksPerSec();
	log('starting n8n (provision, pack and install, start)...');
	const stack = await N8nStack.start({ env, echo: opts.echo, localPackages: [ANCHOR_DIR] });
	try {
		const sides: CpuSide[] = ['ours', 'anchor'];
		const { urls, requestsFor, payloadBytes } = await publishSides(stack, sides, opts);
		const pid = stack.n8n.pid;
		if (pid === undefined) throw new Error('n8n is not running');
		const seen: Record<CpuSide, number> = { ours: 0, anchor: 0 };

		const runOnce = async (side: CpuSide, round: number, count: number): Promise<CpuRun> => {
			const requests = requestsFor(count);
			await settle(pid);
			const before = cpuTicks(pid);
			const t0 = Date.now();
			const result = await runLoad(urls[side], requests, {
				concurrency: opts.concurrency,
				timeLimitMs: 600_000,
				keepAnswers: side === 'ours',
			});
			const accepted = startedCount(side, result);
			await stack.sink.waitForCount(side, seen[side] + accepted, 120_000).catch(() => undefined);
			await settle(pid);
			const after = cpuTicks(pid);
			const wallMs = Date.now() - t0;
			const executions = stack.sink.bodiesFor(side).length - seen[side];
			seen[side] += executions;
			const mainMs = ((after.main - before.main) * 1000) / hz;
			const childrenMs = ((after.children - before.children) * 1000) / hz;
			const run: CpuRun = {
				side,
				round,
				sent: result.sent,
				accepted,
				executions,
				mainMs,
				childrenMs,
				wallMs,
				msPerDelivery: accepted > 0 ? (mainMs + childrenMs) / accepted : Number.NaN,
			};
			log(
				`${side.padEnd(6)} round ${round}: ${accepted}/${count} accepted, ${executions} executions, CPU ${fmtMs(mainMs)} main + ${fmtMs(childrenMs)} children in ${fmtMs(wallMs)}: ${run.msPerDelivery.toFixed(2)} ms per delivery`,
			);
			return run;
		};

		log(`published; n8n ${stack.n8nVersion}; warm-up: ${opts.warmup} deliveries to each side`);
		for (const side of sides) await runOnce(side, 0, opts.warmup);
		const runs: CpuRun[] = [];
		for (let round = 1; round <= opts.rounds; round++) {
			for (const side of sides) runs.push(await runOnce(side, round, opts.deliveries));
		}
		const of = (side: CpuSide) => runs.filter((r) => r.side === side);
		const ours = median(of('ours').map((r) => r.msPerDelivery));
		const anchor = median(of('anchor').map((r) => r.msPerDelivery));
		const perRound = of('ours').flatMap((o) => {
			const a = runs.find((r) => r.side === 'anchor' && r.round === o.round);
			return a ? [o.msPerDelivery / a.msPerDelivery] : [];
		});
		return {
			n8nVersion: stack.n8nVersion,
			env,
			deliveries: opts.deliveries,
			concurrency: opts.concurrency,
			rounds: opts.rounds,
			warmup: opts.warmup,
			payloadBytes,
			clockTicksPerSec: hz,
			runs,
			ours,
			anchor,
			ratio: ours / anchor,
			spread: halfRangeSpread(perRound),
			perRound,
		};
	} finally {
		await stack.stop();
	}
}

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
