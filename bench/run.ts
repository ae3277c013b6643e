/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/**
 * `npm run bench` (= build, then `tsx bench/run.ts`). Parts:
 *   cpu      n8n's CPU time per accepted delivery, ours against the pass-through anchor in one n8n,
 *            runs alternating (the target: at most 1.02x); `cpu-before` files the same
 *            measurement under the "before the one-model payload change" heading
 *   hotpath  the trigger's pure hot path against the floor, in a child pinned to one CPU (information)
 *   n8n      through real n8n under load: under n8n's defaults our trigger against the pass-through
 *            anchor (bench/anchor/), under lazy isolates and the legacy engine against n8n's
 *            Webhook node; plus the activation cost (publish, republish, unpublish) against the sandbox
 *   memory   n8n's RSS and live V8 heap, after forced full collections, after 1,500 and 3,000
 *            deliveries: ours and the anchor each in a fresh n8n, alternating round after round
 * Flags: --only cpu|cpu-before|hotpath|n8n|memory (comma list), --cpu-rounds N (6), --cpu-deliveries N
 *   (100 per run), --cpu-concurrency N (10), --cpu-warmup N (50), --cpu-config default|lazy|legacy,
 *   --rounds N (hot path rounds, 15), --round-ms N (150),
 *   --no-profile, --no-pin, --deliveries N (per n8n run, 2000), --concurrency 10,50,
 *   --n8n-rounds N (2), --max-rounds N (4: more rounds while a ratio's spread exceeds its margin),
 *   --time-limit-s N (per run, 60), --activation-rounds N (3),
 *   --memory-deliveries N (3000), --memory-rounds N (2),
 *   --memory-config lazy (which configuration the memory runs use),
 *   --history N (messages per delivery through n8n, 20), --warmup N (200), --echo (n8n's output),
 *   --sides ours,anchor,webhook (which sides to run, every configuration), --n8n-env NAME=value
 *   (every side; repeatable), --configs default,lazy,legacy (n8n's default expression engine;
 *   N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true; N8N_EXPRESSION_ENGINE=legacy),
 *   --ours-params JSON (trigger parameters over the defaults; diagnostics), --no-write (print only; files untouched).
 *   --only n8n-profile: n8n under \`node --cpu-prof\`, our side only (or --sides), summarised.
 * Writes bench/RESULTS.md and bench/results.json; scratch (profiles) goes to bench/out/ (ignored).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ACTIVATION_STEPS, type ActivationResult } from './activation';
import { runCpuBench, type CpuResult, type CpuRun } from './cpu';
import type { HotpathResult } from './hotpath';
import { UsageError, countFlag, listFlag, parseFlags } from '../scripts/flags';
import { REPO_DIR } from '../scripts/n8n';
import { HISTORY_CASE } from '../scripts/lib/events';
import { machineInfo, machineLine, type MachineInfo } from './lib/machine';
import { linesTable, profileMarkdown, summariseProfile, type ProfileSummary } from './lib/profile';
import {
	DEFAULT_PARTS,
	PARTS,
	ratioOf,
	writeReports,
	type BaselineName,
	type ConfigName,
	type Part,
	type PartReport,
	type ResultEntry,
} from './lib/report';
import { fmt, fmtRatio, halfRangeSpread, median } from './lib/stats';
import {
	runMemoryBench,
	WARMUP_DELIVERIES,
	type MemoryReading,
	type MemoryResult,
	type MemoryRun,
} from './memory';
import {
	SIDES,
	SIDE_NAMES,
	runN8nBench,
	type N8nBenchResult,
	type Ratio,
	type Side,
	type SideSummary,
} from './n8nBench';

const BENCH_DIR = path.join(REPO_DIR, 'bench');
const OUT_DIR = path.join(BENCH_DIR, 'out');
/** Issue 13's in-process throughput target; since issue 21 information only, as the cost ratio. */
const HOTPATH_FORMER_TARGET_PER_SEC = 20_000;
/** Issue 13's in-process target; since issue 21 information only (CPU_TARGET replaces it). */
const HOTPATH_FORMER_TARGET_COST = 2;
/** n8n's CPU time per delivery, ours / the pass-through anchor (issue 21). */
const CPU_TARGET = 1.02;
const N8N_TARGET_THROUGHPUT = 0.95;
const N8N_TARGET_P99 = 1.1;
const MEMORY_TARGET_MB = 20;
/** "Flat": the live heap may move this much between 1,500 and 3,000 deliveries (n8n's own caches). */
const MEMORY_FLAT_MB = 5;

const USAGE = `Usage: npm run bench -- [flags]   (or: npx tsx bench/run.ts [flags], after npm run build)
  --only cpu,cpu-before,hotpath,n8n,memory,n8n-profile   parts to run (default ${DEFAULT_PARTS.join(',')})
  --cpu-rounds N --cpu-deliveries N --cpu-concurrency N --cpu-warmup N --cpu-config NAME   CPU per delivery
  --rounds N --round-ms N --no-profile --no-pin               hot path
  --deliveries N --concurrency 10,50 --n8n-rounds N --max-rounds N --time-limit-s N --history N
  --warmup N --activation-rounds N --sides ours,anchor,webhook --configs default,lazy,legacy
  --n8n-env NAME=value (repeatable) --ours-params JSON --echo --no-write --help   through n8n
  --memory-deliveries N --memory-rounds N --memory-config default|lazy|legacy    memory
Environment: WHATSABLE_KEEP_N8N=1 keeps n8n's user folder; WHATSABLE_PACKAGE_REPO=DIR benches another checkout.`;

const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
/** A spread (a fraction) as "4.1%". */
const pct = (fraction: number) =>
	Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : 'n/a';

/** The checkout's commit, marked when it has uncommitted changes: which code a figure is of. */
function gitCommit(): string {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: names the measured commit
	const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
		cwd: REPO_DIR,
		encoding: 'utf8',
	});
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: names the measured commit
	const dirty = spawnSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], {
		cwd: REPO_DIR,
		encoding: 'utf8',
	});
	const commit = head.stdout?.trim() || 'unknown';
	return dirty.stdout?.trim()
		? `${commit} (with uncommitted changes in nodes/ or credentials/)`
		: commit;
}

function hasTaskset(): boolean {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: checks for taskset
	return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Runs bench/hotpath.ts in a child (pinned to the last CPU when possible); resolves its JSON. */
async function hotpathChild(
	args: string[],
	pin: boolean,
	nodeFlags: string[] = [],
): Promise<HotpathResult> {
	mkdirSync(OUT_DIR, { recursive: true });
	const out = path.join(OUT_DIR, `hotpath-${process.pid}.json`);
	const cpu = String(os.availableParallelism() - 1);
	const nodeArgs = [
		...nodeFlags,
		'--import',
		'tsx',
		path.join(BENCH_DIR, 'hotpath.ts'),
		'--child',
		'--out',
		out,
		...args,
	];
	const pinned = pin && hasTaskset();
	const [cmd, argv] = pinned
		? ['taskset', ['-c', cpu, process.execPath, ...nodeArgs]]
		: [process.execPath, nodeArgs];
	const env = { ...process.env, WHATSABLE_BENCH_PINNED_CPU: pinned ? cpu : '' };
	await new Promise<void>((resolve, reject) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: the benchmark's own child
		const child = spawn(cmd, argv, { cwd: REPO_DIR, stdio: ['ignore', 'inherit', 'inherit'], env });
		const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`bench/hotpath.ts failed (${signal ?? `exit ${String(code)}`})`));
		});
	});
	const result = JSON.parse(readFileSync(out, 'utf8')) as HotpathResult;
	rmSync(out, { force: true });
	return result;
}

async function profileHotpath(pin: boolean): Promise<ProfileSummary> {
	const dir = path.join(OUT_DIR, 'profiles');
	mkdirSync(dir, { recursive: true });
	const name = 'hotpath-history-20.cpuprofile';
	await hotpathChild(['--profile-seconds', '5'], pin, [
		'--cpu-prof',
		`--cpu-prof-dir=${dir}`,
		`--cpu-prof-name=${name}`,
	]);
	return summariseProfile(path.join(dir, name), REPO_DIR, 'judgeDelivery');
}

function hotpathReport(
	result: HotpathResult,
	machine: MachineInfo,
	profile: ProfileSummary | undefined,
	command: string,
): PartReport {
	const rows = result.cases.map((c) => {
		const target =
			c.name === HISTORY_CASE
				? `(information; issue 13's ≥ ${fmt(HOTPATH_FORMER_TARGET_PER_SEC)}/s: ${c.oursPerSec >= HOTPATH_FORMER_TARGET_PER_SEC ? 'met' : 'not met'})`
				: '(information)';
		return `| ${c.name} | ${fmt(c.bytes)} | ${fmt(c.oursPerSec)} | ${fmt(c.floorPerSec)} | ${fmtRatio(c.costRatio)} ±${pct(c.costSpread)} | ${fmt(1e6 / c.oursPerSec, 1)} / ${fmt(1e6 / c.floorPerSec, 1)} | ${target} |`;
	});
	const noise = result.cases
		.map(
			(c) => `${c.name} ±${(c.oursSpread * 50).toFixed(0)}% / ±${(c.floorSpread * 50).toFixed(0)}%`,
		)
		.join('; ');
	const markdown = `## 2. In-process hot path (information)

Information, not a target: issue 21 replaced the former "≤ ${HOTPATH_FORMER_TARGET_COST}x the floor" target with n8n's CPU time per delivery (section 1), because what a user pays is n8n's work per delivery, of which this path is a small part. Measured ${machine.date} with \`${command}\`; ${machineLine(machine)}; load average ${machine.loadAverage} at the start; ${result.pinnedCpu ? `one child process pinned to CPU ${result.pinnedCpu} (taskset)` : 'not pinned (no taskset)'}.

**Ours** = \`judgeDelivery()\` plus recording its keys (raw body → HMAC-SHA256 signature check → JSON parse → normalise → duplicate check) with verification on, scheme pinned to HMAC, incoming and outgoing enabled; a pool of ${fmt(result.poolSize)} distinct signed variants per payload (more than the 1,000-entry duplicate window), every one checked to be \`accepted\`. **Floor** = \`JSON.parse\` + one HMAC-SHA256 (hex) of the same bytes. Rounds interleaved (A/B, B/A, ...), ${result.cases[0]?.rounds ?? 0} rounds of ~150 ms per side; medians. Cost ratio = time per delivery, ours / floor; its spread = half the range of the per-round ratios over their median.

| payload | bytes | ours deliveries/s | floor deliveries/s | cost ours/floor ± spread | µs per delivery (ours / floor) | throughput target |
|---|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

Round-to-round spread (half the max-min range over the median, ours / floor): ${noise}.
${profile ? `\n### Where the time goes (\`node --cpu-prof\`, 5 s of the 20-message case, ours only)\n\n${profileMarkdown(profile)}\n` : ''}`;
	const inProcess = { baseline_name: 'floor', config: 'in-process' } as const;
	const entries: ResultEntry[] = result.cases.flatMap((c) => [
		{
			name: `hotpath: ${c.name}: throughput`,
			unit: 'deliveries/s',
			ours: c.oursPerSec,
			baseline: c.floorPerSec,
			...inProcess,
			ratio: c.oursPerSec / c.floorPerSec,
			spread: c.costSpread,
		},
		{
			name: `hotpath: ${c.name}: time per delivery`,
			unit: 'µs',
			ours: 1e6 / c.oursPerSec,
			baseline: 1e6 / c.floorPerSec,
			...inProcess,
			ratio: c.costRatio,
			spread: c.costSpread,
		},
	]);
	return { part: 'hotpath', markdown, entries };
}

const CPU_HEADINGS = {
	cpu: '## 1. CPU per delivery through real n8n (the target)',
	'cpu-before': '## 1b. CPU per delivery, before the one-model payload change',
} as const;

function cpuReport(
	part: 'cpu' | 'cpu-before',
	result: CpuResult,
	machine: MachineInfo,
	command: string,
	commit: string,
): PartReport {
	const sideName = (side: CpuRun['side']) => (side === 'ours' ? 'ours' : 'pass-through trigger');
	const sum = (side: CpuRun['side'], f: (r: CpuRun) => number) =>
		result.runs.filter((r) => r.side === side).reduce((t, r) => t + f(r), 0);
	/** The task runner's share of a side's CPU time, to show what counting it changes. */
	const childShare = (side: CpuRun['side']) =>
		pct(sum(side, (r) => r.childrenMs) / sum(side, (r) => r.mainMs + r.childrenMs));
	const runRows = result.runs.map(
		(r) =>
			`| ${r.round} | ${sideName(r.side)} | ${r.accepted}/${r.sent} | ${fmt(r.executions)} | ${fmt(r.mainMs)} | ${fmt(r.childrenMs)} | ${fmt(r.wallMs)} | ${fmt(r.msPerDelivery, 2)} |`,
	);
	const env = Object.entries(result.env)
		.map(([k, v]) => `\`${k}=${v}\``)
		.join(', ');
	const before =
		part === 'cpu-before'
			? `The figure before issue 21's item 2 (the hand-written payload readers and the custom calendar replaced by plain zod parsing), kept here for comparison; \`npm run bench -- --only cpu\` (section 1) gives the current one. `
			: '';
	const markdown = `${CPU_HEADINGS[part]}

${before}Measured ${machine.date} with \`${command}\` at commit ${commit}; ${machineLine(machine)}; load average ${machine.loadAverage} at the start; n8n ${result.n8nVersion} (default SQLite database), n8n environment ${env}.

**n8n's CPU time per accepted delivery** = user + system time (\`utime + stime\` of \`/proc/<pid>/stat\`, ${result.clockTicksPerSec} ticks/s) of n8n's main process, every thread (the expression isolates included), plus every live descendant (the task runner) and the children it reaped, over a run, divided by the deliveries whose answer started an execution (ours: \`{"status":"accepted"}\`; the anchor: 2xx). A run starts with n8n idle (at most one tick in each of two consecutive 250 ms windows), sends ${fmt(result.deliveries)} distinct signed deliveries (the sandbox's flat payload with 20 history messages, ${fmt(result.payloadBytes)} bytes) at concurrency ${result.concurrency}, and ends once every execution reached the sink and n8n is idle again. The load generator, the sink and the sandbox run in the bench's own process and are not counted. **Ours**: the WhatsAble Trigger at its defaults (incoming messages, signatures verified, scheme \`auto\`, respond immediately, output message); **anchor**: the pass-through trigger (\`bench/anchor/\`). Both in ONE n8n, each workflow ending in the same HTTP Request to the sink; a warm-up of ${fmt(result.warmup)} deliveries per side, then ${result.rounds} rounds of ours then the anchor. Figures: each side's median over its runs; ratio = ours / anchor of those; spread = half the range of the per-round ratios over their median.

| ours ms CPU per delivery | pass-through trigger ms CPU per delivery | ours / pass-through trigger ± spread | target ≤ ${CPU_TARGET}x |
|---:|---:|---:|---|
| ${fmt(result.ours, 2)} | ${fmt(result.anchor, 2)} | ${fmtRatio(result.ratio)} ±${pct(result.spread)} | ${mark(result.ratio <= CPU_TARGET)}${result.spread > CPU_TARGET - 1 ? ' (spread exceeds the 2% margin)' : ''} |

Per-round ratios: ${result.perRound.map((r) => r.toFixed(3)).join(', ')}. The task runner (children) took ${childShare('ours')} of ours' CPU time and ${childShare('anchor')} of the anchor's.

<details><summary>Every run</summary>

| round | side | accepted / sent | executions at the sink | main ms CPU | children ms CPU | wall ms | ms CPU per delivery |
|---:|---|---:|---:|---:|---:|---:|---:|
${runRows.join('\n')}

</details>
`;
	const config =
		result.env.N8N_EXPRESSION_ENGINE === 'legacy'
			? 'legacy'
			: result.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE === 'true'
				? 'lazy'
				: 'default';
	const entries: ResultEntry[] = [
		{
			name: `${part}: n8n CPU time per accepted delivery`,
			unit: 'ms',
			ours: result.ours,
			baseline: result.anchor,
			baseline_name: 'pass-through trigger',
			config,
			concurrency: result.concurrency,
			ratio: ratioOf(result.ours, result.anchor),
			spread: result.perRound.length > 1 ? result.spread : null,
		},
	];
	return { part, markdown, entries };
}

/** The figures each n8n comparison writes to results.json, ours against the configuration's baseline. */
const N8N_METRICS: Array<[label: string, unit: string, key: keyof SideSummary]> = [
	['accepted throughput', 'deliveries/s', 'acceptedPerSec'],
	['p50 latency', 'ms', 'p50Ms'],
	['p99 latency', 'ms', 'p99Ms'],
	['completed executions', 'executions/s', 'completedPerSec'],
];

/** One n8n configuration the comparison ran under (every side alike). */
interface N8nConfig {
	name: Exclude<ConfigName, 'in-process'>;
	env: Record<string, string>;
	/** The sides run, ours first; the baseline is what the targets compare ours with. */
	sides: Side[];
	baseline: Side;
	about: string;
}

/** A configuration compares ours with one baseline, run side by side. */
const n8nConfig = (
	name: N8nConfig['name'],
	env: Record<string, string>,
	baseline: Side,
	about: string,
): N8nConfig => ({ name, env, sides: ['ours', baseline], baseline, about });

const N8N_CONFIGS: Record<string, N8nConfig> = {
	default: n8nConfig(
		'default',
		{},
		'anchor',
		"n8n's defaults (expression engine `vm`, i.e. isolated-vm): what users run. n8n 2.41.1 skips the expression isolate in the webhook phase only for its own Webhook node (`webhookPhaseNeedsIsolate` in `packages/cli/src/webhooks/live-webhooks.ts` checks the node type by name); every other trigger, ours, the anchor and n8n's own WhatsApp, Stripe and GitHub triggers included, pays one isolate per request on top of the one every execution pays. So ours is compared with the pass-through anchor here, not with the Webhook node.",
	),
	lazy: n8nConfig(
		'lazy',
		{ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		'webhook',
		"`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`: the default `vm` engine, but an isolate is created only when an expression is actually evaluated, so no trigger pays for one it does not use. Our trigger's webhook description resolves natively (no expression), so ours and the Webhook node start equal and are compared directly.",
	),
	legacy: n8nConfig(
		'legacy',
		{ N8N_EXPRESSION_ENGINE: 'legacy' },
		'webhook',
		'`N8N_EXPRESSION_ENGINE=legacy`: no isolates anywhere, so the difference left against the Webhook node is what our trigger itself costs inside n8n.',
	),
};

const BASELINE_NAMES: Record<Exclude<Side, 'ours'>, BaselineName> = {
	anchor: 'pass-through trigger',
	webhook: 'Webhook node',
};

function baselineName(side: Side): BaselineName {
	if (side === 'ours') throw new Error('ours is never the baseline');
	return BASELINE_NAMES[side];
}

const ratioCell = (r: Ratio) => `${fmtRatio(r.value)} ±${pct(r.spread)}`;

function n8nSection(
	config: N8nConfig,
	result: N8nBenchResult,
): { markdown: string; entries: ResultEntry[] } {
	const baseName = SIDE_NAMES[result.baseline];
	const sideRow = (c: number, side: Side, s: SideSummary) =>
		`| ${c} | ${SIDE_NAMES[side]} | ${fmt(s.acceptedPerSec)} | ${fmt(s.p50Ms, 1)} | ${fmt(s.p99Ms, 1)} | ${fmt(s.completedPerSec)} | ${s.status5xx} | ${s.errors} | ${s.lost} |`;
	const rows = result.summary.flatMap((s) =>
		result.sides.flatMap((side) => {
			const summary = s.sides[side];
			return summary ? [sideRow(s.concurrency, side, summary)] : [];
		}),
	);
	const ratios = result.summary.map(
		(s) =>
			`| ${s.concurrency} | ${s.rounds} | ${ratioCell(s.throughput)} (${mark(s.throughput.value >= N8N_TARGET_THROUGHPUT)}) | ${ratioCell(s.p99)} (${mark(s.p99.value <= N8N_TARGET_P99)}) | ${s.throughput.spread > 1 - N8N_TARGET_THROUGHPUT || s.p99.spread > N8N_TARGET_P99 - 1 ? 'spread exceeds the margin' : 'within the margin'} |`,
	);
	const runRows = result.runs.map(
		(r) =>
			`| ${r.concurrency} | ${r.round} | ${SIDE_NAMES[r.side]} | ${r.ok}/${r.requested}${r.timedOut ? ' (time limit)' : ''} | ${fmt(r.acceptedPerSec)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.executions} | ${r.status5xx} | ${r.errors} |`,
	);
	const env = Object.entries(result.env)
		.map(([k, v]) => `\`${k}=${v}\``)
		.join(', ');
	const markdown = `### n8n configuration: ${config.name} (ours against the ${baseName})

${config.about} n8n environment for every side: ${env}.

| concurrency | rounds | throughput ours/${baseName} ± spread (target ≥ ${N8N_TARGET_THROUGHPUT}x) | p99 ours/${baseName} ± spread (target ≤ ${N8N_TARGET_P99}x) | spread |
|---:|---:|---:|---:|---|
${ratios.join('\n')}

| concurrency | side | accepted/s | p50 ms | p99 ms | completed/s | 5xx | errors | lost |
|---:|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

<details><summary>Every run (${config.name})</summary>

| concurrency | round | side | 2xx / sent | accepted/s | p50 ms | p99 ms | executions | 5xx | errors |
|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|
${runRows.join('\n')}

</details>`;
	const entries: ResultEntry[] = result.summary.flatMap((s) => {
		const ours = s.sides.ours;
		const base = s.sides[result.baseline];
		if (!ours || !base) return [];
		return N8N_METRICS.map(([label, unit, key]) => ({
			name: `n8n: ${config.name}: c=${s.concurrency}: ${label}`,
			unit,
			ours: ours[key],
			baseline: base[key],
			baseline_name: baselineName(result.baseline),
			config: config.name,
			concurrency: s.concurrency,
			ratio: ratioOf(ours[key], base[key]),
			spread:
				key === 'acceptedPerSec' ? s.throughput.spread : key === 'p99Ms' ? s.p99.spread : null,
		}));
	});
	return { markdown, entries };
}

const STEP_LABELS = {
	publish: 'clean publish',
	republish: 'republish with changed settings',
	unpublish: 'unpublish',
} as const;

function activationSection(
	a: ActivationResult,
	config: N8nConfig,
): { markdown: string; entries: ResultEntry[] } {
	const rows = ACTIVATION_STEPS.map((step) => {
		const o = a.ours[step];
		const b = a.anchor[step];
		return `| ${STEP_LABELS[step]} | ${o.calls} (${o.callList.map((c) => `\`${c}\``).join(', ') || 'none'}) | ${fmt(o.ms)} ±${pct(o.msSpread)} | ${b.calls} | ${fmt(b.ms)} ±${pct(b.msSpread)} | ${fmt(o.ms - b.ms)} |`;
	});
	const markdown = `### Activation cost (against the sandbox, n8n configuration: ${config.name})

Each round: a fresh workflow is published, then republished with changed settings (ours: outgoing messages added, which changes the registration; the anchor has no settings, so its sink request changes), then unpublished; ${a.rounds} rounds, ours then the anchor; medians of n8n's REST call until the publication settled (\`/rest/workflows/<id>/activate\` or \`/deactivate\`, then \`publication-status\`). API calls = requests the sandbox (WhatsAble's management API) received.

| step | ours: API calls | ours: ms | pass-through trigger: API calls | pass-through trigger: ms | ours − anchor ms |
|---|---|---:|---:|---:|---:|
${rows.join('\n')}`;
	const entries: ResultEntry[] = ACTIVATION_STEPS.flatMap((step) => {
		const o = a.ours[step];
		const b = a.anchor[step];
		const common = { baseline_name: 'pass-through trigger', config: config.name } as const;
		return [
			{
				name: `n8n: activation: ${step}: API calls`,
				unit: 'calls',
				ours: o.calls,
				baseline: b.calls,
				...common,
				ratio: ratioOf(o.calls, b.calls),
				spread: 0,
			},
			{
				name: `n8n: activation: ${step}: time`,
				unit: 'ms',
				ours: o.ms,
				baseline: b.ms,
				...common,
				ratio: ratioOf(o.ms, b.ms),
				spread: o.msSpread,
			},
		];
	});
	return { markdown, entries };
}

function n8nReport(
	results: Array<{ config: N8nConfig; result: N8nBenchResult }>,
	machine: MachineInfo,
	command: string,
): PartReport {
	const first = results[0]?.result;
	const sections = results.map(({ config, result }) => n8nSection(config, result));
	const activations = results.flatMap(({ config, result }) =>
		result.activation ? [activationSection(result.activation, config)] : [],
	);
	const markdown = `## 3. Through real n8n

Measured ${machine.date} with \`${command}\`; ${machineLine(machine)}; load average ${machine.loadAverage} at the start; n8n ${first?.n8nVersion ?? '?'} (default SQLite database) on Node ${machine.node}, on 127.0.0.1, with the load generator (undici \`Pool\`), the sink and n8n sharing the machine.

Every workflow: trigger → the same HTTP Request node posting a constant \`{"done":true}\` to a local sink. **Ours**: WhatsAble Trigger at its production URL, registered with the sandbox on publish, signature verification on (HMAC), respond immediately; every delivery a distinct signed event. **Pass-through trigger** (the anchor): \`bench/anchor/\`, a bench-only community package installed into the same n8n beside ours, whose \`webhook()\` returns the request body as one item and answers at once, as the official \`n8n-nodes-whatsable\` trigger does; it ignores the signature. **Webhook node**: \`n8n-nodes-base.webhook\` v2.1 (POST, respond immediately). Every side receives the same signed bytes: the sandbox's flat payload with ${first?.historyLength ?? '?'} history messages (${fmt(first?.payloadBytes ?? 0)} bytes). Each run: ${fmt(first?.deliveries ?? 0)} deliveries or the time limit, whichever comes first; runs alternate between the sides round after round, after a warm-up of each; more rounds (up to the maximum) while a ratio's spread exceeds its target's margin; one fresh n8n per configuration.

"accepted/s" = answers that started an execution (ours: \`{"status":"accepted"}\`; the others: 2xx) per second of the run; latency = request sent → answer body read; "completed/s" = executions that reached the sink per second from the start of the run; "lost" = started executions that never reached the sink. Throughput per side = median of its runs; p50/p99 over all of the side's answers; ratio = ours / baseline of those; spread = half the range of the per-round ratios over their median.

${sections.map((sec) => sec.markdown).join('\n\n')}

${activations.map((sec) => sec.markdown).join('\n\n')}
`;
	return {
		part: 'n8n',
		markdown,
		entries: [
			...sections.flatMap((sec) => sec.entries),
			...activations.flatMap((sec) => sec.entries),
		],
	};
}

function memoryReport(
	result: MemoryResult,
	configName: string,
	machine: MachineInfo,
	command: string,
): PartReport {
	const { deliveries, runs } = result;
	const half = Math.floor(deliveries / 2);
	type Figure = (run: MemoryRun) => number;
	const figures = {
		rssEnd: (r) => r.end.rssMb,
		heapEnd: (r) => r.end.heapMb,
		rssGrowth: (r) => r.end.rssMb - r.half.rssMb,
		heapGrowth: (r) => r.end.heapMb - r.half.heapMb,
	} satisfies Record<string, Figure>;
	const sideRuns = (side: MemoryRun['side']) => runs.filter((r) => r.side === side);
	const medianOf = (side: MemoryRun['side'], f: Figure) => median(sideRuns(side).map(f));
	/** Each round's two runs, ours first. */
	const pairs = sideRuns('ours').flatMap((o) => {
		const a = runs.find((r) => r.side === 'anchor' && r.round === o.round);
		return a ? [[o, a] as const] : [];
	});
	/** Ours − anchor of a figure, per round: its median and half range, in MB. */
	const difference = (f: Figure) => {
		const perRound = pairs.map(([o, a]) => f(o) - f(a));
		const halfRange =
			perRound.length > 1 ? (Math.max(...perRound) - Math.min(...perRound)) / 2 : undefined;
		return { value: medianOf('ours', f) - medianOf('anchor', f), halfRange };
	};
	const pm = (halfRange: number | undefined) =>
		halfRange === undefined ? '' : ` ±${fmt(halfRange, 1)} MB`;
	const extraRss = difference(figures.rssEnd);
	const extraHeap = difference(figures.heapEnd);
	const oursGrowth = medianOf('ours', figures.heapGrowth);
	const anchorGrowth = medianOf('anchor', figures.heapGrowth);
	const reading = (m: MemoryReading) => `${fmt(m.rssMb, 1)} / ${fmt(m.heapMb, 1)}`;
	const runRow = (r: MemoryRun) =>
		`| ${r.round} | ${r.side === 'ours' ? 'ours' : 'pass-through trigger'} | ${reading(r.start)} | ${reading(r.half)} | ${reading(r.end)} | ${fmt(r.executions)} |`;
	const summaryRow = (side: MemoryRun['side'], name: string) =>
		`| ${name} | ${fmt(medianOf(side, figures.rssEnd), 1)} | ${fmt(medianOf(side, figures.heapEnd), 1)} | ${fmt(medianOf(side, figures.rssGrowth), 1)} | ${fmt(medianOf(side, figures.heapGrowth), 1)} |`;
	const env = Object.entries(result.env)
		.map(([k, v]) => `\`${k}=${v}\``)
		.join(', ');
	const markdown = `## 4. Memory

Measured ${machine.date} with \`${command}\`; ${machineLine(machine)}; load average ${machine.loadAverage} at the start. n8n's main process (the task runner is a separate process, not counted), each reading taken once the sink had received every execution, 3 s of idling and two full garbage collections forced through n8n's inspector (\`--inspect\`, DevTools protocol \`HeapProfiler.collectGarbage\`): **RSS** = \`VmRSS\` of \`/proc/<pid>/status\`, **heap** = live objects on V8's heap (\`Runtime.getHeapUsage\`). Readings after a warm-up of ${WARMUP_DELIVERIES} deliveries, after ${fmt(half)} and after ${fmt(deliveries)} distinct signed deliveries (concurrency 10) to one side. Ours and the pass-through trigger each in a fresh n8n with the same settings (configuration ${configName}: ${env}), ${result.rounds} rounds, the order flipping every round; figures are medians over the rounds, ± half the range of the per-round differences. The duplicate window is full at 1,000 event ids. (Without the forced collections, one reading per side swung by up to 590 MB: V8 collects when it likes.)

| side | RSS after ${fmt(deliveries)}, MB | heap after ${fmt(deliveries)}, MB | RSS growth ${fmt(half)} → ${fmt(deliveries)}, MB | heap growth ${fmt(half)} → ${fmt(deliveries)}, MB |
|---|---:|---:|---:|---:|
${summaryRow('ours', 'ours')}
${summaryRow('anchor', 'pass-through trigger')}

- Ours − anchor after ${fmt(deliveries)}: RSS ${fmt(extraRss.value, 1)} MB${pm(extraRss.halfRange)} (target ≤ ${MEMORY_TARGET_MB} MB: ${mark(extraRss.value <= MEMORY_TARGET_MB)}); heap ${fmt(extraHeap.value, 1)} MB${pm(extraHeap.halfRange)}.
- Flat between ${fmt(half)} and ${fmt(deliveries)}: ours' heap grew ${fmt(oursGrowth, 1)} MB, the anchor's ${fmt(anchorGrowth, 1)} MB (target: ours ≤ the anchor's growth + ${MEMORY_FLAT_MB} MB: ${mark(oursGrowth <= Math.max(0, anchorGrowth) + MEMORY_FLAT_MB)}).

<details><summary>Every run (RSS / heap, MB)</summary>

| round | side | after warm-up | after ${fmt(half)} | after ${fmt(deliveries)} | executions at the sink |
|---:|---|---:|---:|---:|---:|
${runs.map(runRow).join('\n')}

</details>
`;
	const entry = (name: string, f: Figure): ResultEntry => {
		const ours = medianOf('ours', f);
		const baseline = medianOf('anchor', f);
		const perRound = pairs.map(([o, a]) => f(o) / f(a));
		return {
			name,
			unit: 'MB',
			ours,
			baseline,
			baseline_name: 'pass-through trigger',
			config: configName as ConfigName,
			ratio: ratioOf(ours, baseline),
			spread: perRound.length > 1 ? halfRangeSpread(perRound) : null,
		};
	};
	const entries: ResultEntry[] = [
		entry(`memory: RSS after ${deliveries} deliveries`, figures.rssEnd),
		entry(`memory: V8 heap after ${deliveries} deliveries`, figures.heapEnd),
		entry(`memory: RSS growth ${half} to ${deliveries} deliveries`, figures.rssGrowth),
		entry(`memory: V8 heap growth ${half} to ${deliveries} deliveries`, figures.heapGrowth),
	];
	return { part: 'memory', markdown, entries };
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	const values = parseFlags(argv, {
		strings: [
			'only',
			'rounds',
			'round-ms',
			'deliveries',
			'concurrency',
			'n8n-rounds',
			'time-limit-s',
			'history',
			'warmup',
			'sides',
			'configs',
			'ours-params',
			'max-rounds',
			'activation-rounds',
			'memory-deliveries',
			'memory-config',
			'memory-rounds',
			'cpu-rounds',
			'cpu-deliveries',
			'cpu-concurrency',
			'cpu-warmup',
			'cpu-config',
		],
		booleans: ['help', 'no-profile', 'no-pin', 'echo', 'no-write'],
		multiple: ['n8n-env'],
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const only = listFlag(values.only, DEFAULT_PARTS.join(','));
	const unknown = only.filter((p) => !PARTS.includes(p as Part));
	if (unknown.length > 0)
		throw new UsageError(`--only takes ${PARTS.join(', ')} (got ${unknown.join(', ')})`);
	const parts = PARTS.filter((p) => only.includes(p));
	const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
	const machine = machineInfo();
	const pin = values['no-pin'] !== true;
	const reports: PartReport[] = [];
	const extraEnv: Record<string, string> = {};
	for (const pair of values['n8n-env'] ?? []) {
		const eq = pair.indexOf('=');
		if (eq < 1) throw new UsageError('--n8n-env takes NAME=value');
		extraEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
	}
	const oursParameters =
		values['ours-params'] === undefined
			? undefined
			: (JSON.parse(values['ours-params']) as Record<string, unknown>);
	const sides = values.sides === undefined ? undefined : listFlag(values.sides, '');
	if (sides && !sides.every((side): side is Side => SIDES.includes(side as Side))) {
		throw new UsageError(`--sides takes ${SIDES.join(', ')}`);
	}

	for (const part of ['cpu', 'cpu-before'] as const) {
		if (!parts.includes(part)) continue;
		const configName = values['cpu-config'] ?? 'default';
		const config = N8N_CONFIGS[configName];
		if (!config) throw new UsageError(`--cpu-config takes ${Object.keys(N8N_CONFIGS).join(', ')}`);
		console.error(`[bench] ${part}: n8n's CPU time per delivery, configuration ${configName}`);
		const result = await runCpuBench({
			deliveries: countFlag(values['cpu-deliveries'], 'cpu-deliveries', 100),
			rounds: countFlag(values['cpu-rounds'], 'cpu-rounds', 6),
			concurrency: countFlag(values['cpu-concurrency'], 'cpu-concurrency', 10),
			warmup: countFlag(values['cpu-warmup'], 'cpu-warmup', 50),
			historyLength: countFlag(values.history, 'history', 20),
			extraEnv: { ...config.env, ...extraEnv },
			echo: values.echo === true,
		});
		const report = cpuReport(part, result, machine, command, gitCommit());
		reports.push(report);
		console.log(report.markdown);
	}

	if (parts.includes('hotpath')) {
		const rounds = countFlag(values.rounds, 'rounds', 15);
		const roundMs = countFlag(values['round-ms'], 'round-ms', 150);
		console.error(`[bench] hot path: ${rounds} rounds of ~${roundMs} ms per side and payload`);
		const result = await hotpathChild(
			['--rounds', String(rounds), '--round-ms', String(roundMs)],
			pin,
		);
		let profile: ProfileSummary | undefined;
		if (values['no-profile'] !== true) {
			console.error('[bench] hot path: CPU profile of the 20-message case (5 s)');
			profile = await profileHotpath(pin);
		}
		const report = hotpathReport(result, machine, profile, command);
		reports.push(report);
		console.log(report.markdown);
	}
	if (parts.includes('n8n')) {
		const concurrencies = listFlag(values.concurrency, '10,50').map((c) =>
			countFlag(c, 'concurrency', 10),
		);
		const configNames = listFlag(values.configs, 'default,lazy,legacy');
		const results: Array<{ config: N8nConfig; result: N8nBenchResult }> = [];
		const activationRounds = countFlag(values['activation-rounds'], 'activation-rounds', 3);
		for (const name of configNames) {
			const config = N8N_CONFIGS[name];
			if (!config) throw new UsageError(`--configs takes ${Object.keys(N8N_CONFIGS).join(', ')}`);
			console.error(`[bench] through n8n, configuration ${name}`);
			const configSides = (sides as Side[] | undefined) ?? config.sides;
			const result = await runN8nBench({
				deliveries: countFlag(values.deliveries, 'deliveries', 2000),
				concurrencies,
				rounds: countFlag(values['n8n-rounds'], 'n8n-rounds', 2),
				maxRounds: countFlag(values['max-rounds'], 'max-rounds', 4),
				baseline: configSides.includes(config.baseline) ? config.baseline : undefined,
				margins: { throughput: 1 - N8N_TARGET_THROUGHPUT, p99: N8N_TARGET_P99 - 1 },
				// Once, in the first configuration's n8n (before its load).
				activationRounds: results.length === 0 ? activationRounds : 0,
				timeLimitMs: countFlag(values['time-limit-s'], 'time-limit-s', 60) * 1000,
				historyLength: countFlag(values.history, 'history', 20),
				warmup: countFlag(values.warmup, 'warmup', 200),
				echo: values.echo === true,
				sides: configSides,
				extraEnv: { ...config.env, ...extraEnv },
				oursParameters,
			});
			results.push({ config, result });
		}
		const report = n8nReport(results, machine, command);
		reports.push(report);
		console.log(report.markdown);
	}

	if (parts.includes('memory')) {
		const configName = values['memory-config'] ?? 'lazy';
		const config = N8N_CONFIGS[configName];
		if (!config)
			throw new UsageError(`--memory-config takes ${Object.keys(N8N_CONFIGS).join(', ')}`);
		console.error(`[bench] memory, configuration ${configName}`);
		const result = await runMemoryBench({
			deliveries: countFlag(values['memory-deliveries'], 'memory-deliveries', 3000),
			rounds: countFlag(values['memory-rounds'], 'memory-rounds', 2),
			extraEnv: { ...config.env, ...extraEnv },
			historyLength: countFlag(values.history, 'history', 20),
			echo: values.echo === true,
		});
		const report = memoryReport(result, config.name, machine, command);
		reports.push(report);
		console.log(report.markdown);
	}

	if (parts.includes('n8n-profile')) {
		const dir = path.join(OUT_DIR, 'profiles', 'n8n');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		const deliveries = countFlag(values.deliveries, 'deliveries', 2000);
		const result = await runN8nBench({
			deliveries,
			concurrencies: [10],
			rounds: 1,
			timeLimitMs: countFlag(values['time-limit-s'], 'time-limit-s', 90) * 1000,
			historyLength: countFlag(values.history, 'history', 20),
			warmup: countFlag(values.warmup, 'warmup', 300),
			echo: values.echo === true,
			sides: sides ?? ['ours'],
			extraEnv,
			oursParameters,
			nodeOptions: `--cpu-prof --cpu-prof-dir=${dir}`,
		});
		// n8n's main process wrote the largest profile (its task runner the small one).
		const profiles = readdirSync(dir)
			.filter((f) => f.endsWith('.cpuprofile'))
			.map((f) => path.join(dir, f))
			.sort((a, b) => statSync(b).size - statSync(a).size);
		if (profiles.length === 0) throw new Error('n8n wrote no CPU profile');
		const groups = [
			'n8n-nodes-whatsable-webhooks/',
			'@n8n/expression-runtime/',
			'sqlite3/',
			'@n8n/typeorm/',
			'n8n-workflow/',
		];
		const summary = summariseProfile(profiles[0], REPO_DIR, undefined, 25, groups);
		const run = result.runs[0];
		const markdown = `## 5. Where n8n spends its time on our deliveries (\`node --cpu-prof\` on n8n)

Measured ${machine.date} with \`${command}\`; ${machineLine(machine)}; n8n ${result.n8nVersion}. n8n started with \`NODE_OPTIONS=--cpu-prof\`; ${fmt(run?.requested ?? deliveries)} signed deliveries to ${run?.side === 'webhook' ? "n8n's Webhook node" : 'our trigger'} only (concurrency 10, ${fmt(run?.acceptedPerSec ?? 0)}/s under the profiler, not a measurement), after a warm-up. Whole n8n main process, start-up and shut-down included (${fmt(summary.totalMs)} ms sampled). Our package's files are under \`n8n-nodes-whatsable-webhooks/\`.

Self time of some groups of files (whole profile):

${linesTable('files whose path contains', summary.groups)}

${profileMarkdown(summary)}

Self time by function (top 25):

${linesTable('function', summary.byFunction)}
`;
		reports.push({ part: 'n8n-profile', markdown, entries: [] });
		console.log(markdown);
	}

	if (values['no-write'] !== true) {
		const header = `# Benchmarks

Regenerated by \`npm run bench\` (\`bench/run.ts\`; \`--only cpu\`, \`--only hotpath\`, \`--only n8n\` or \`--only memory\` runs one part and keeps the other parts' last figures). Last run: ${machine.date}, parts: ${parts.join(', ')}. Machine: ${machineLine(machine)}. Figures for every row are also in \`bench/results.json\` (\`ratio\` = ours / baseline in the row's unit).

Targets: n8n's CPU time per delivery ≤ ${CPU_TARGET}x the pass-through trigger's (issue 21; it replaces issue 13's in-process targets, ≤ ${HOTPATH_FORMER_TARGET_COST}x the JSON.parse+HMAC floor and ≥ ${fmt(HOTPATH_FORMER_TARGET_PER_SEC)} deliveries/s on the 20-message payload, whose figures stay as information: what a user can measure is n8n's cost, of which the in-process path is a small part); through n8n under n8n's defaults ≥ ${N8N_TARGET_THROUGHPUT}x the pass-through trigger's throughput and ≤ ${N8N_TARGET_P99}x its p99 latency, under lazy isolate acquisition and the legacy engine the same against n8n's Webhook node; memory ≤ ${MEMORY_TARGET_MB} MB more than the pass-through trigger after 3,000 deliveries and flat from 1,500 to 3,000. Every figure in \`bench/results.json\`: \`name\`, \`unit\`, \`ours\`, \`baseline\`, \`baseline_name\`, \`config\`, \`concurrency\` (through n8n), \`ratio\` (ours / baseline) and \`spread\` (half the range over rounds, a fraction; null with one run).`;
		writeReports(
			{ markdown: path.join(BENCH_DIR, 'RESULTS.md'), json: path.join(BENCH_DIR, 'results.json') },
			header,
			reports,
		);
		console.error('[bench] wrote bench/RESULTS.md and bench/results.json');
	}
}

main().catch((error: unknown) => {
	if (error instanceof UsageError) {
		console.error(`${error.message}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exitCode = 1;
});
