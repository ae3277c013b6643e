/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev tooling, not shipped in the package */
/**
 * Through real n8n: our trigger's production URL (signed, distinct events) against the
 * pass-through anchor (bench/anchor/, a minimal community trigger) and/or n8n's own Webhook node
 * (POST, respond immediately), all followed by the same HTTP Request node to a sink, driven by
 * undici at fixed concurrency, runs alternating between the sides, round after round; more
 * rounds (up to maxRounds) while the spread of a ratio exceeds its target's margin.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import {
	N8nStack,
	SINK_NODE,
	builtInWebhookWorkflow,
	triggerWorkflow,
	type WorkflowJson,
} from '../scripts/n8n';
import { flatPayload, signedVariants } from '../scripts/lib/events';
import { runLoad, type LoadRequest, type LoadResult } from '../scripts/lib/load';
import { measureActivation, type ActivationResult } from './activation';
import { ANCHOR_DIR, anchorWorkflow } from './lib/anchor';
import { halfRangeSpread, median, percentile } from './lib/stats';

export type Side = 'ours' | 'webhook' | 'anchor';
export const SIDES: readonly Side[] = ['ours', 'anchor', 'webhook'];
export const SIDE_NAMES: Record<Side, string> = {
	ours: 'ours',
	anchor: 'pass-through trigger',
	webhook: 'Webhook node',
};

export interface N8nRun {
	side: Side;
	concurrency: number;
	round: number;
	requested: number;
	sent: number;
	ok: number;
	/** Answers that said an execution was started (ours: status "accepted"; Webhook node: any 2xx). */
	started: number;
	status4xx: number;
	status5xx: number;
	errors: number;
	acceptedPerSec: number;
	p50Ms: number;
	p99Ms: number;
	elapsedMs: number;
	/** Executions seen at the sink for this run, and how long until the last one arrived. */
	executions: number;
	completedPerSec: number;
	timedOut: boolean;
}

export interface SideSummary {
	acceptedPerSec: number;
	p50Ms: number;
	p99Ms: number;
	completedPerSec: number;
	status5xx: number;
	errors: number;
	lost: number;
}

/** A ratio ours / baseline: of the sides' summaries, and its spread over the rounds' ratios. */
export interface Ratio {
	value: number;
	/** Half the range of the per-round ratios over their median (a fraction). */
	spread: number;
	perRound: number[];
}

export interface ConcurrencySummary {
	concurrency: number;
	rounds: number;
	sides: Partial<Record<Side, SideSummary>>;
	/** Throughput and p99 of ours against the baseline side. */
	throughput: Ratio;
	p99: Ratio;
}

export interface N8nBenchResult {
	n8nVersion: string;
	env: Record<string, string>;
	historyLength: number;
	deliveries: number;
	payloadBytes: number;
	baseline: Side;
	sides: Side[];
	runs: N8nRun[];
	summary: ConcurrencySummary[];
	activation?: ActivationResult;
}

export interface N8nBenchOptions {
	deliveries: number;
	concurrencies: number[];
	rounds: number;
	/** More rounds, up to this many, while a ratio's spread exceeds its margin. */
	maxRounds?: number;
	/** The side ours is compared with; the first other side by default. */
	baseline?: Side;
	/** Spread beyond which another round is run: throughput and p99 margins of the targets. */
	margins?: { throughput: number; p99: number };
	/** Rounds of the activation-cost measurement on this n8n before the load (0: none). */
	activationRounds?: number;
	timeLimitMs: number;
	historyLength: number;
	warmup: number;
	echo?: boolean;
	/** Default ours and the Webhook node; ours first in each round. */
	sides?: Side[];
	/** NODE_OPTIONS for n8n (e.g. --cpu-prof): not for measured runs. */
	nodeOptions?: string;
	/** Trigger parameters merged over the defaults (diagnostics only). */
	oursParameters?: Record<string, unknown>;
	/** More n8n environment, for both sides (e.g. N8N_EXPRESSION_ENGINE=legacy). */
	extraEnv?: Record<string, string>;
}

/** The same n8n settings for both sides. */
export const BENCH_N8N_ENV: Record<string, string> = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
};

/** Both workflows post the same small constant body, so the downstream cost is identical. */
function withConstantSinkBody(json: WorkflowJson): WorkflowJson {
	return {
		...json,
		nodes: json.nodes.map((node) =>
			node.name === SINK_NODE ? { ...node, parameters: { ...node.parameters, jsonBody: '{"done":true}' } } : node,
		),
	};
}

export function startedCount(side: Side, result: LoadResult): number {
	if (side !== 'ours') return result.ok;
	let started = 0;
	for (const answer of result.answers) {
		if (answer.status < 200 || answer.status >= 300) continue;
		try {
			const body = JSON.parse(answer.body) as { status?: unknown };
			if (body.status === 'accepted') started++;
		} catch {
			// Not ours: not counted.
		}
	}
	return started;
}

function summarise(runs: N8nRun[], latencies: number[]): SideSummary {
	return {
		acceptedPerSec: median(runs.map((r) => r.acceptedPerSec)),
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99),
		completedPerSec: median(runs.map((r) => r.completedPerSec)),
		status5xx: runs.reduce((s, r) => s + r.status5xx, 0),
		errors: runs.reduce((s, r) => s + r.errors, 0),
		lost: runs.reduce((s, r) => s + Math.max(0, r.started - r.executions), 0),
	};
}

/** What a started stack needs to drive load at the published sides. */
export interface PublishedSides {
	urls: Record<Side, string>;
	/** `count` new distinct signed deliveries (numbered on from the last call). */
	requestsFor: (count: number) => LoadRequest[];
	payloadBytes: number;
}

/** Publishes the sides' workflows on the stack (all ending in the same constant sink request). */
export async function publishSides(
	stack: N8nStack,
	sides: readonly Side[],
	opts: { historyLength: number; oursParameters?: Record<string, unknown> },
): Promise<PublishedSides> {
	const base = stack.n8n.webhookUrl;
	const workflows = {
		ours: triggerWorkflow({
			name: 'Bench: WhatsAble Trigger',
			credential: stack.credential,
			sinkUrl: stack.sink.urlFor('ours'),
			webhookBaseUrl: base,
			parameters: {
				events: ['incoming'],
				verifySignatures: true,
				respond: 'immediately',
				output: 'message',
				options: { signatureScheme: 'hmac' },
				...opts.oursParameters,
			},
		}),
		webhook: builtInWebhookWorkflow({
			name: 'Bench: n8n Webhook node',
			sinkUrl: stack.sink.urlFor('webhook'),
			webhookBaseUrl: base,
			path: 'bench-baseline',
		}),
		anchor: anchorWorkflow({
			name: 'Bench: pass-through trigger',
			sinkUrl: stack.sink.urlFor('anchor'),
			webhookBaseUrl: base,
		}),
	};
	for (const side of sides) {
		const wf = workflows[side];
		const { status } = await stack.createAndPublish(withConstantSinkBody(wf.json));
		if (status.status !== 'published') throw new Error(`${wf.json.name} did not publish: ${JSON.stringify(status)}`);
	}
	const record = stack.sandbox.records().find((r) => r.webhooks === workflows.ours.url);
	if (sides.includes('ours') && !record) throw new Error('the trigger did not register its URL with the sandbox');
	// The anchor and the Webhook node ignore the signature; unsigned registrations get one nobody checks.
	const secret = (record && stack.sandbox.secretOf(record.id)) ?? 'not-checked';
	const payload = flatPayload(opts.historyLength);
	let counter = 0;
	const requestsFor = (count: number): LoadRequest[] =>
		signedVariants(payload, count, secret, { first: (counter += count) - count }).map((d) => ({
			body: d.body,
			headers: {
				'content-type': 'application/json',
				'x-webhook-signature': d.signature,
				'user-agent': 'WhatsAble-Bench/1.0',
			},
		}));
	return {
		urls: { ours: workflows.ours.url, webhook: workflows.webhook.url, anchor: workflows.anchor.url },
		requestsFor,
		payloadBytes: Buffer.byteLength(JSON.stringify(payload)),
	};
}

/** Ratio of the sides' summaries and its spread over the rounds where both sides ran. */
function ratioOf(
	runs: N8nRun[],
	baseline: Side,
	summary: { ours: number; base: number },
	key: 'acceptedPerSec' | 'p99Ms',
): Ratio {
	const perRound: number[] = [];
	const rounds = new Set(runs.map((r) => r.round));
	for (const round of rounds) {
		const ours = runs.find((r) => r.round === round && r.side === 'ours');
		const base = runs.find((r) => r.round === round && r.side === baseline);
		if (ours && base) perRound.push(ours[key] / base[key]);
	}
	return { value: summary.ours / summary.base, spread: halfRangeSpread(perRound), perRound };
}

export async function runN8nBench(opts: N8nBenchOptions): Promise<N8nBenchResult> {
	const log = (line: string) => console.error(`[n8n-bench] ${line}`);
	log('starting n8n (provision, pack and install, start)...');
	const env: Record<string, string> = { ...BENCH_N8N_ENV, ...opts.extraEnv };
	if (opts.nodeOptions) env.NODE_OPTIONS = opts.nodeOptions;
	const sides: Side[] = opts.sides ?? ['ours', 'webhook'];
	const baseline: Side = opts.baseline ?? sides.find((s) => s !== 'ours') ?? 'webhook';
	const margins = opts.margins ?? { throughput: 0.05, p99: 0.1 };
	const stack = await N8nStack.start({ env, echo: opts.echo, localPackages: [ANCHOR_DIR] });
	try {
		const activation =
			opts.activationRounds && opts.activationRounds > 0
				? await measureActivation(stack, opts.activationRounds)
				: undefined;
		if (activation) log(`activation cost measured (${activation.rounds} rounds)`);
		const { urls, requestsFor, payloadBytes } = await publishSides(stack, sides, opts);
		log(`published; n8n ${stack.n8nVersion}`);

		const seen: Record<Side, number> = { ours: 0, webhook: 0, anchor: 0 };
		const latencies = new Map<string, number[]>();

		const runOnce = async (side: Side, concurrency: number, round: number, count: number): Promise<N8nRun> => {
			const requests = requestsFor(count);
			const t0 = Date.now();
			const result = await runLoad(urls[side], requests, {
				concurrency,
				timeLimitMs: opts.timeLimitMs,
				keepAnswers: side === 'ours',
			});
			const started = startedCount(side, result);
			const expected = seen[side] + started;
			let executions = started;
			try {
				await stack.sink.waitForCount(side, expected, 120_000);
			} catch {
				executions = stack.sink.bodiesFor(side).length - seen[side];
			}
			await sleep(300);
			const records = stack.sink.records.filter((r) => r.path.endsWith(`/${side}`));
			const mine = records.slice(seen[side]);
			executions = mine.length;
			seen[side] = records.length;
			const lastAt = mine.length > 0 ? mine[mine.length - 1].at : t0;
			const run: N8nRun = {
				side,
				concurrency,
				round,
				requested: count,
				sent: result.sent,
				ok: result.ok,
				started,
				status4xx: result.status4xx,
				status5xx: result.status5xx,
				errors: result.errors,
				acceptedPerSec: (started / result.elapsedMs) * 1000,
				p50Ms: percentile(result.latenciesMs, 50),
				p99Ms: percentile(result.latenciesMs, 99),
				elapsedMs: result.elapsedMs,
				executions,
				completedPerSec: lastAt > t0 ? (executions / (lastAt - t0)) * 1000 : 0,
				timedOut: result.timedOut,
			};
			latencies.set(`${side}:${concurrency}`, [...(latencies.get(`${side}:${concurrency}`) ?? []), ...result.latenciesMs]);
			log(
				`${side.padEnd(7)} c=${concurrency} round ${round}: ${run.acceptedPerSec.toFixed(0)}/s accepted, p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms, ${run.ok}/${count} 2xx, ${run.status5xx} 5xx, ${run.errors} errors, ${executions} executions (${run.completedPerSec.toFixed(0)}/s)`,
			);
			await sleep(1000);
			return run;
		};

		log(`warm-up: ${opts.warmup} deliveries to each side`);
		for (const side of sides) await runOnce(side, 10, 0, opts.warmup);
		latencies.clear();

		const runs: N8nRun[] = [];
		const summary: ConcurrencySummary[] = [];
		const summaryOf = (concurrency: number, mine: N8nRun[]): ConcurrencySummary => {
			const sideSummaries: Partial<Record<Side, SideSummary>> = {};
			for (const side of sides) {
				sideSummaries[side] = summarise(
					mine.filter((r) => r.side === side),
					latencies.get(`${side}:${concurrency}`) ?? [],
				);
			}
			const o = sideSummaries.ours;
			const b = sideSummaries[baseline];
			const nan: Ratio = { value: Number.NaN, spread: Number.NaN, perRound: [] };
			return {
				concurrency,
				rounds: new Set(mine.map((r) => r.round)).size,
				sides: sideSummaries,
				throughput: o && b ? ratioOf(mine, baseline, { ours: o.acceptedPerSec, base: b.acceptedPerSec }, 'acceptedPerSec') : nan,
				p99: o && b ? ratioOf(mine, baseline, { ours: o.p99Ms, base: b.p99Ms }, 'p99Ms') : nan,
			};
		};
		const maxRounds = Math.max(opts.rounds, opts.maxRounds ?? opts.rounds);
		for (const concurrency of opts.concurrencies) {
			const mine: N8nRun[] = [];
			for (let round = 1; round <= maxRounds; round++) {
				if (round > opts.rounds) {
					const soFar = summaryOf(concurrency, mine);
					const noisy = !(soFar.throughput.spread <= margins.throughput) || !(soFar.p99.spread <= margins.p99);
					if (!noisy) break;
					log(`c=${concurrency}: spread ±${(soFar.throughput.spread * 100).toFixed(1)}% / ±${(soFar.p99.spread * 100).toFixed(1)}% exceeds the margin: round ${round}`);
				}
				for (const side of sides) mine.push(await runOnce(side, concurrency, round, opts.deliveries));
			}
			runs.push(...mine);
			summary.push(summaryOf(concurrency, mine));
		}
		return {
			n8nVersion: stack.n8nVersion,
			env: { ...BENCH_N8N_ENV, ...opts.extraEnv },
			historyLength: opts.historyLength,
			deliveries: opts.deliveries,
			payloadBytes,
			baseline,
			sides,
			runs,
			summary,
			activation,
		};
	} finally {
		await stack.stop();
	}
}
