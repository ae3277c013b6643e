/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/**
 * The trigger's in-process hot path (raw body -> signature -> parse -> normalise -> duplicate
 * check, i.e. `judgeDelivery` with HMAC verification on) against the floor (JSON.parse plus
 * one HMAC-SHA256 of the same bytes), interleaved in rounds within one process, medians taken.
 * run.ts starts this file as a child pinned to one CPU (taskset); it can also run on its own:
 *   node --import tsx bench/hotpath.ts --child --out result.json [--rounds 15] [--round-ms 150]
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

import { countFlag, intFlag, parseFlags } from '../scripts/flags';
import { DEDUPE_MAX_ENTRIES, DedupeWindow } from '../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import {
	judgeDelivery,
	type DeliveryConfig,
	type DeliveryInput,
	type DeliveryVerdict,
} from '../nodes/WhatsAbleWebhooksTrigger/delivery/verdict';
import type { TriggerSettings } from '../nodes/WhatsAbleWebhooksTrigger/settings';
import { defaultSettings } from '../nodes/WhatsAbleWebhooksTrigger/settings';
import {
	HISTORY_CASE,
	fixtureBodies,
	flatPayload,
	newSecret,
	signedVariants,
	type SignedDelivery,
} from '../scripts/lib/events';
import { halfRangeSpread, median, spread } from './lib/stats';

export interface HotpathCase {
	name: string;
	bytes: number;
	oursPerSec: number;
	floorPerSec: number;
	/** Time per delivery, ours over the floor (target <= 2). */
	costRatio: number;
	/** Half the range of the per-round cost ratios over their median (a fraction). */
	costSpread: number;
	rounds: number;
	oursSpread: number;
	floorSpread: number;
}

export interface HotpathResult {
	cases: HotpathCase[];
	pinnedCpu: string | null;
	poolSize: number;
	/** How many floor iterations produced a result (keeps the floor's work observable). */
	floorChecks: number;
}

export interface HotpathOptions {
	rounds: number;
	roundMs: number;
	/** Distinct deliveries per case; more than the duplicate window holds, so none repeats in it. */
	poolSize: number;
	/** Only these case names (all when empty). */
	only: string[];
	/** Profile mode: only our side of the 20-message case, for `seconds`. */
	profileSeconds?: number;
}

/** Absolute ceiling per case, whatever the options say. */
const CASE_TIME_LIMIT_MS = 120_000;

/** Both directions, HMAC pinned, signatures verified: every fixture is accepted. */
export function benchSettings(): TriggerSettings {
	return {
		...defaultSettings(),
		incoming: true,
		outgoing: true,
		verifySignatures: true,
		signatureScheme: 'hmac',
		ignoreAutomatedOutgoing: false,
	};
}

interface Prepared {
	name: string;
	deliveries: SignedDelivery[];
	secret: string;
}

function prepare(requested: number): Prepared[] {
	// Twice the duplicate window at least, so no variant is still in the window when it comes round.
	const poolSize = Math.max(requested, 2 * DEDUPE_MAX_ENTRIES);
	const bases = [...fixtureBodies(), { name: HISTORY_CASE, body: flatPayload(20) }];
	return bases.map(({ name, body }) => {
		const secret = newSecret();
		return { name, secret, deliveries: signedVariants(body, poolSize, secret) };
	});
}

function input(d: SignedDelivery): DeliveryInput {
	return {
		method: 'POST',
		contentType: 'application/json',
		rawBody: d.body,
		signatureHeader: d.signature,
		receivedAt: new Date(),
	};
}

/** The verdict's configuration, with the window the handler records into. */
type BenchConfig = DeliveryConfig & { seen: DedupeWindow };

/** Runs `count` deliveries through judgeDelivery; returns how many were accepted. */
function runOurs(p: Prepared, config: BenchConfig, start: number, count: number): number {
	const pool = p.deliveries;
	let accepted = 0;
	for (let n = 0; n < count; n++) {
		const delivery = input(pool[(start + n) % pool.length]);
		const verdict = judgeDelivery(delivery, config);
		if (verdict.kind !== 'accepted') continue;
		// What the handler commits after the verdict, part of the in-process cost.
		config.seen.record(verdict.keys, delivery.receivedAt.getTime());
		accepted++;
	}
	return accepted;
}

let floorChecks = 0;
/** The floor: parse the same bytes and compute one HMAC over them. */
function runFloor(p: Prepared, start: number, count: number): void {
	const pool = p.deliveries;
	for (let n = 0; n < count; n++) {
		const d = pool[(start + n) % pool.length];
		const parsed: unknown = JSON.parse(d.body.toString('utf8'));
		const mac = createHmac('sha256', p.secret).update(d.body).digest('hex');
		if (parsed !== null && mac.length === 64) floorChecks++;
	}
}

function verdictText(verdict: DeliveryVerdict): string {
	switch (verdict.kind) {
		case 'rejected':
			return `rejected ${verdict.status}: ${verdict.reason}`;
		case 'unverifiable':
			return 'unverifiable: no signing secret';
		case 'filtered':
			return `filtered: ${verdict.reason}`;
		case 'duplicate':
			return `duplicate ${verdict.eventId}`;
		case 'paused':
			return `paused until ${new Date(verdict.until).toISOString()}`;
		case 'accepted':
			return 'accepted';
	}
}

/** Every delivery of the pool must be accepted once: otherwise the figures would be meaningless. */
function checkPool(p: Prepared): void {
	const config: BenchConfig = { settings: benchSettings(), secret: p.secret, seen: new DedupeWindow() };
	const ids = new Set<string>();
	for (const d of p.deliveries) {
		const verdict = judgeDelivery(input(d), config);
		if (verdict.kind !== 'accepted') {
			throw new Error(`${p.name}: a fresh delivery was not accepted (${verdictText(verdict)})`);
		}
		for (const item of verdict.items) ids.add(JSON.stringify((item as unknown as { eventId?: unknown }).eventId));
	}
	if (ids.size < p.deliveries.length) {
		throw new Error(`${p.name}: ${p.deliveries.length} variants gave only ${ids.size} distinct event ids`);
	}
}

function timeIt(fn: () => void): number {
	const t0 = process.hrtime.bigint();
	fn();
	return Number(process.hrtime.bigint() - t0) / 1e9;
}

function benchCase(p: Prepared, opts: HotpathOptions): HotpathCase {
	checkPool(p);
	const config: BenchConfig = { settings: benchSettings(), secret: p.secret, seen: new DedupeWindow() };
	let cursor = 0;
	let floorCursor = 0;
	const ours = (count: number): number => {
		const seconds = timeIt(() => {
			const accepted = runOurs(p, config, cursor, count);
			if (accepted !== count) throw new Error(`${p.name}: only ${accepted} of ${count} accepted in a round`);
		});
		cursor = (cursor + count) % p.deliveries.length;
		return count / seconds;
	};
	const floor = (count: number): number => {
		const seconds = timeIt(() => runFloor(p, floorCursor, count));
		floorCursor = (floorCursor + count) % p.deliveries.length;
		return count / seconds;
	};
	// Warm-up (JIT) and calibration: a round of each side takes about roundMs.
	const started = Date.now();
	ours(500);
	floor(500);
	const oursRate = ours(2000);
	const floorRate = floor(2000);
	const oursCount = Math.max(200, Math.round((oursRate * opts.roundMs) / 1000));
	const floorCount = Math.max(200, Math.round((floorRate * opts.roundMs) / 1000));

	const oursRates: number[] = [];
	const floorRates: number[] = [];
	for (let r = 0; r < opts.rounds && Date.now() - started < CASE_TIME_LIMIT_MS; r++) {
		// A/B then B/A, so a slow drift of the machine does not favour one side.
		if (r % 2 === 0) {
			oursRates.push(ours(oursCount));
			floorRates.push(floor(floorCount));
		} else {
			floorRates.push(floor(floorCount));
			oursRates.push(ours(oursCount));
		}
	}
	const oursPerSec = median(oursRates);
	const floorPerSec = median(floorRates);
	return {
		name: p.name,
		bytes: Math.round(p.deliveries.reduce((s, d) => s + d.body.length, 0) / p.deliveries.length),
		oursPerSec,
		floorPerSec,
		costRatio: floorPerSec / oursPerSec,
		costSpread: halfRangeSpread(oursRates.map((rate, r) => floorRates[r] / rate)),
		rounds: oursRates.length,
		oursSpread: spread(oursRates),
		floorSpread: spread(floorRates),
	};
}

function pinnedCpu(): string | null {
	return process.env.WHATSABLE_BENCH_PINNED_CPU ?? null;
}

export function runHotpath(opts: HotpathOptions): HotpathResult {
	const prepared = prepare(opts.poolSize).filter((p) => opts.only.length === 0 || opts.only.includes(p.name));
	if (opts.profileSeconds !== undefined) {
		const p = prepared.find((c) => c.name === HISTORY_CASE) ?? prepared[0];
		checkPool(p);
		const config: BenchConfig = { settings: benchSettings(), secret: p.secret, seen: new DedupeWindow() };
		const until = Date.now() + opts.profileSeconds * 1000;
		let cursor = 0;
		for (let guard = 0; Date.now() < until && guard < 1_000_000; guard++) {
			runOurs(p, config, cursor, 1000);
			cursor = (cursor + 1000) % p.deliveries.length;
		}
		return { cases: [], pinnedCpu: pinnedCpu(), poolSize: p.deliveries.length, floorChecks };
	}
	const cases: HotpathCase[] = [];
	for (const p of prepared) {
		const result = benchCase(p, opts);
		cases.push(result);
		console.error(
			`[hotpath] ${p.name}: ours ${Math.round(result.oursPerSec)}/s, floor ${Math.round(result.floorPerSec)}/s, cost ${result.costRatio.toFixed(2)}x`,
		);
	}
	return { cases, pinnedCpu: pinnedCpu(), poolSize: prepared[0]?.deliveries.length ?? 0, floorChecks };
}

function main(): void {
	const values = parseFlags(process.argv.slice(2), {
		strings: ['out', 'rounds', 'round-ms', 'pool', 'profile-seconds'],
		booleans: ['child'],
	});
	const result = runHotpath({
		rounds: countFlag(values.rounds, 'rounds', 15),
		roundMs: countFlag(values['round-ms'], 'round-ms', 150),
		poolSize: countFlag(values.pool, 'pool', 2048),
		only: [],
		profileSeconds: intFlag(values['profile-seconds'], 'profile-seconds', undefined, 1),
	});
	const text = JSON.stringify(result, null, 2);
	if (values.out) writeFileSync(values.out, text);
	else console.log(text);
}

if (require.main === module) main();
