/* eslint-disable no-console -- dev tooling, not shipped in the package */
/**
 * The trigger in n8n 2.41.1's queue mode (scripts/n8n/queueStack.ts): a fresh PostgreSQL database
 * and Redis prefix, one main, two webhook processors behind a round-robin proxy (WEBHOOK_URL), one
 * worker, one user folder and encryption key, the package installed as a community package.
 * Proves: one registration, made on publish and kept across a restart of every process, deleted
 * on unpublish; the sealed secret verifies on every process; the trigger's own requests never
 * start an execution or get a 401 on any process (Verify Signatures on and off); 1,000 distinct
 * deliveries → 1,000 executions; duplicates sent to the OTHER processor when WhatsAble would
 * resend them → no second execution; a processor SIGKILLed mid-load loses no message.
 */
import { randomUUID } from 'node:crypto';

import { FLUSH_HEADER, flushTimings } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { DELIVERY_DEFAULTS } from '../../../sandbox/delivery';
import {
	BACKEND_HEADER,
	countOf,
	httpRequest,
	QueueStack,
	sleep,
	triggerWorkflow,
	waitFor,
	type HttpResponse,
} from '../../../scripts/n8n';
import {
	flatPayload,
	signedVariants,
	variant,
	type SignedDelivery,
} from '../../../scripts/lib/events';
import { hmacHex } from '../../../scripts/lib/signing';
import { buildFlatPayload } from '../../../sandbox';
import { flushProof } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';
import { eventIdOf } from '../../../scripts/lib/events';
import { runLoad } from '../../../scripts/lib/load';
import { apiCallsSince, isCreate, isDeleteOf, OWNER, registrationsAt } from '../env';

/**
 * When WhatsAble resends a delivery that ran: only when its answer did not come within the answer
 * timeout (10 s), after the first retry delay (1 s), counted from sending the original. (A
 * delivery answered with an error ran nothing, so its retry is no duplicate.) The measuring test
 * below shows how soon after the answer a duplicate is caught across processors, for the README.
 */
const RESEND_AFTER_MS = DELIVERY_DEFAULTS.timeoutMs + DELIVERY_DEFAULTS.baseDelayMs;
/** The measuring test's delays after the answer. */
const CATCH_DELAYS_MS = [0, 2000, 4000, 6000];
const LOAD_TEST_TIMEOUT_MS = 900_000;

let q: QueueStack;
/** Triggers still published: unpublished after each test, so a failed test leaves none behind. */
const live = new Set<Trigger>();
const timings: Record<string, number> = {};
const suiteStarted = Date.now();

interface Trigger {
	id: string;
	url: string;
	tag: string;
	/** The trigger's scope as the node computes it: workflow id, node id, production. */
	scope: string;
}

async function newTrigger(
	name: string,
	parameters: Record<string, unknown> = {},
): Promise<Trigger> {
	const tag = `${name.replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}`;
	const wf = triggerWorkflow({
		name: `queue: ${name}`,
		credential: q.main.credential,
		sinkUrl: q.main.sink.urlFor(tag),
		webhookBaseUrl: q.webhookUrl,
		parameters,
	});
	const created = await q.main.rest.createWorkflow(wf.json);
	return {
		id: created.id,
		url: wf.url,
		tag,
		scope: `${created.id}:${wf.json.nodes[0].id}:production`,
	};
}

async function publish(t: Trigger): Promise<void> {
	live.add(t);
	expect(await q.main.rest.activate(t.id)).toMatchObject({ status: 'published' });
}

async function unpublish(t: Trigger): Promise<void> {
	live.delete(t);
	await q.main.rest.deactivate(t.id);
}

afterEach(async () => {
	for (const t of [...live]) await unpublish(t).catch(() => undefined);
}, 120_000);

function secretOf(t: Trigger): string {
	const records = registrationsAt(q.main.sandbox, t.url);
	expect(records).toHaveLength(1);
	const secret = q.main.sandbox.secretOf(records[0].id);
	if (!secret) throw new Error(`no secret for registration ${records[0].id}`);
	return secret;
}

function deliveryHeaders(d: SignedDelivery, backend?: number): Record<string, string> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-webhook-signature': d.signature,
	};
	if (backend !== undefined) headers[BACKEND_HEADER] = String(backend);
	return headers;
}

async function send(t: Trigger, d: SignedDelivery, backend?: number): Promise<HttpResponse> {
	return await httpRequest(t.url, {
		method: 'POST',
		headers: deliveryHeaders(d, backend),
		body: d.body,
		timeoutMs: 120_000,
	});
}

function statusOf(res: HttpResponse): string {
	try {
		const body = JSON.parse(res.text) as { status?: unknown };
		return typeof body.status === 'string' ? body.status : `http ${res.status}`;
	} catch {
		return `http ${res.status}`;
	}
}

async function executionCount(workflowId: string): Promise<number> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const page = await q.main.rest.call<{ count: number }>(
		'GET',
		`/rest/executions?filter=${filter}&limit=1`,
	);
	return page.count;
}

/** Waits (bounded) for `count` executions, then a little longer to prove no more come. */
async function expectExecutionCount(
	workflowId: string,
	count: number,
	timeoutMs = 600_000,
): Promise<void> {
	await waitFor(
		`n8n to count ${count} executions`,
		async () => ((await executionCount(workflowId)) >= count ? true : undefined),
		{
			timeoutMs,
			intervalMs: 1000,
		},
	).catch(() => undefined);
	await sleep(3000);
	expect(await executionCount(workflowId)).toBe(count);
}

function eventIdsAt(tag: string): string[] {
	return q.main.sink.bodiesFor(tag).map((b) => String((b as { eventId?: unknown }).eventId));
}

/** Runs `jobs` with at most `concurrency` at a time. */
async function pool<T>(jobs: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
	const results: T[] = new Array<T>(jobs.length);
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const i = next++;
			results[i] = await jobs[i]();
		}
	};
	await Promise.all(Array.from({ length: concurrency }, () => worker()));
	return results;
}

function tally(kinds: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
	return out;
}

/** A signed delivery sent to each webhook processor is accepted by each. */
async function expectAcceptedByEveryProcessor(t: Trigger, round: number): Promise<void> {
	const ds = signedVariants(flatPayload(2, `${t.tag} ${round}`), 2, secretOf(t), {
		first: round * 10,
	});
	for (const backend of [0, 1]) {
		expect({ backend, answer: statusOf(await send(t, ds[backend], backend)) }).toEqual({
			backend,
			answer: 'accepted',
		});
	}
}

beforeAll(async () => {
	q = await QueueStack.start({ owner: OWNER, sandbox: { port: 0, delivery: { baseDelayMs: 50 } } });
	timings.start = Date.now() - suiteStarted;
}, 15 * 60_000);

afterAll(async () => {
	timings.suite = Date.now() - suiteStarted;
	console.log(`[queue] timings (ms): ${JSON.stringify(timings)}`);
	await q?.stop();
}, 180_000);

// First, while the processes are fresh: the trigger's flushes are the ones under test.
describe.each([
	['on', true],
	['off', false],
])(
	'with Verify Signatures %s, nothing the trigger sends itself starts an execution or gets a 401',
	(label, verifySignatures) => {
		test('deliveries alternating between processors, then a flush sent to each processor', async () => {
			const t = await newTrigger(`flush ${label}`, { verifySignatures });
			await publish(t);
			// With verification off WhatsAble gives no secret; the signature header is then ignored.
			const secret = verifySignatures ? secretOf(t) : 'unused';
			const deliveries = signedVariants(flatPayload(2, `flush ${label}`), 10, secret, {
				first: verifySignatures ? 0 : 100,
			});
			q.proxy.resetCounters();
			for (const [i, d] of deliveries.entries()) {
				expect(statusOf(await send(t, d, i % 2))).toBe('accepted');
				await sleep(200);
			}
			// A flush from "another process": the header every process of this instance computes from
			// the credential's sealing key.
			const sealingKey = String(
				(await q.main.decryptedCredential(q.main.credential.id)).sealingKey,
			);
			for (const backend of [0, 1]) {
				const res = await httpRequest(t.url, {
					method: 'POST',
					headers: {
						[FLUSH_HEADER]: flushProof(sealingKey, t.scope, '{}', Date.now()),
						[BACKEND_HEADER]: String(backend),
						'content-type': 'application/json',
					},
					body: '{}',
				});
				expect({ backend, status: res.status, answer: statusOf(res) }).toEqual({
					backend,
					status: 200,
					answer: 'flushed',
				});
			}
			// The trigger's own flushes (a flush and a confirming one after the last delivery) have landed.
			await sleep(
				flushTimings.settleMs + flushTimings.flushDelayMs + flushTimings.confirmDelayMs + 3000,
			);
			await expectExecutionCount(t.id, 10, 60_000);
			expect(q.main.sink.bodiesFor(t.tag)).toHaveLength(10);
			const counters = q.proxy.snapshot();
			console.log(`[queue] verify ${label}: answers per processor ${JSON.stringify(counters)}`);
			const flushes = counters.reduce((sum, c) => sum + countOf(c.marked, () => true), 0);
			expect(flushes).toBeGreaterThan(2); // the trigger's own flushes went through the proxy too
			for (const c of counters) {
				expect(countOf(c.statuses, (s) => s !== 200)).toBe(0);
				expect(countOf(c.marked, (s) => s !== 200)).toBe(0);
			}
		}, 180_000);
	},
);

test('publish: one registration; the sealed secret verifies on every process; a restart of every process keeps one; unpublish deletes it', async () => {
	const t = await newTrigger('registration');
	const mark = q.main.sandbox.calls.length;
	await publish(t);
	expect(apiCallsSince(q.main.sandbox, mark).filter(isCreate)).toHaveLength(1);
	const [record] = registrationsAt(q.main.sandbox, t.url);
	const check = (round: number) => expectAcceptedByEveryProcessor(t, round);
	await check(1);

	const restartStarted = Date.now();
	await q.restartAll();
	timings.restartAll = Date.now() - restartStarted;
	expect(registrationsAt(q.main.sandbox, t.url)).toEqual([record]);
	expect(apiCallsSince(q.main.sandbox, mark).filter(isCreate)).toHaveLength(1);
	await check(2);
	await expectExecutionCount(t.id, 4, 60_000);

	await unpublish(t);
	expect(registrationsAt(q.main.sandbox, t.url)).toEqual([]);
	expect(apiCallsSince(q.main.sandbox, mark).filter((c) => isDeleteOf(c, record.id))).toHaveLength(
		1,
	);
}, 420_000);

describe.each([
	[
		'Events = incoming only: the reply starts nothing and n8n saves the pause at once',
		['incoming'],
	],
	[
		'Events = incoming and outgoing: the reply runs, and the flush shares the pause',
		['incoming', 'outgoing'],
	],
])('Pause While a Human Replies on both processors (%s)', (_label, events) => {
	test("a teammate's reply on one processor pauses the contact on both; an automation's reply pauses no one", async () => {
		const t = await newTrigger(`pause ${events.length}`, {
			events,
			ignoreAutomatedOutgoing: true,
			humanPause: true,
		});
		await publish(t);
		expect(registrationsAt(q.main.sandbox, t.url)[0]).toMatchObject({ outgoing: true });
		const secret = secretOf(t);
		const sign = (payload: Record<string, unknown>): SignedDelivery => {
			const body = Buffer.from(JSON.stringify(payload));
			return { body, signature: hmacHex(body, secret) };
		};
		const contact = `1415555${String(Date.now()).slice(-4)}`;
		const incoming = (text: string) =>
			sign(buildFlatPayload({ phone: contact, text: `${text} ${randomUUID()}` }));

		const automated = sign(
			buildFlatPayload({
				phone: contact,
				outgoing: true,
				byHuman: false,
				sendBy: 'n8n',
				text: 'auto',
			}),
		);
		expect(statusOf(await send(t, automated, 0))).toBe('filtered');
		expect(statusOf(await send(t, incoming('after the bot'), 1))).toBe('accepted');

		const human = sign(
			buildFlatPayload({
				phone: contact,
				outgoing: true,
				byHuman: true,
				text: `a teammate ${randomUUID()}`,
			}),
		);
		expect(statusOf(await send(t, human, 0))).toBe(
			events.includes('outgoing') ? 'accepted' : 'filtered',
		);
		const started = Date.now();
		// Probes that arrive before the pause is shared run, as any message would.
		let probesRun = 0;
		await waitFor(
			'the pause to hold on processor 1',
			async () => {
				const answer = statusOf(await send(t, incoming('probe'), 1));
				if (answer === 'accepted') probesRun++;
				return answer === 'paused' ? true : undefined;
			},
			{ timeoutMs: 30_000, intervalMs: 250 },
		);
		timings[`pauseSharedMs_${events.length}`] = Date.now() - started;
		timings[`pauseProbesRun_${events.length}`] = probesRun;
		for (const backend of [0, 1]) {
			const res = await send(t, incoming(`paused on ${backend}`), backend);
			expect({ backend, answer: statusOf(res) }).toEqual({ backend, answer: 'paused' });
			expect(
				Date.parse(String((JSON.parse(res.text) as { until?: unknown }).until)),
			).toBeGreaterThan(Date.now());
		}
		await expectExecutionCount(t.id, 1 + probesRun + (events.includes('outgoing') ? 1 : 0), 60_000);
		await unpublish(t);
	}, 240_000);
});

test("Wait for the Contact to Pause across processors, measured: a burst split over both makes one execution per processor; pinned to one (route the trigger's URL to one processor), one", async () => {
	const t = await newTrigger('bursts', {
		events: ['incoming'],
		combineBursts: true,
		quietSeconds: 2,
	});
	await publish(t);
	const secret = secretOf(t);
	const sendBurstTo = async (backends: number[], label: string) => {
		const phone = `1419${String(Date.now()).slice(-7)}`;
		const answers = await Promise.all(
			backends.map(async (backend, n) => {
				await sleep(n * 500);
				const body = Buffer.from(
					JSON.stringify(buildFlatPayload({ phone, text: `${label} ${n}` })),
				);
				return statusOf(await send(t, { body, signature: hmacHex(body, secret) }, backend));
			}),
		);
		return tally(answers);
	};
	const split = await sendBurstTo([0, 1, 0, 1], 'split');
	await expectExecutionCount(t.id, 2, 60_000);
	const pinned = await sendBurstTo([0, 0, 0, 0], 'pinned');
	await expectExecutionCount(t.id, 3, 60_000);
	console.log(
		`[queue] a burst of 4 split over two processors: answers ${JSON.stringify(split)}, 2 executions; pinned to one: ${JSON.stringify(pinned)}, 1 execution`,
	);
	expect(split).toEqual({ accepted: 2, combined: 2 });
	expect(pinned).toEqual({ accepted: 1, combined: 3 });
	await unpublish(t);
}, 240_000);

test('the session expires, then the credential is switched to a newly pasted token and every process restarts: the secret verifies on every processor; unpublish deletes the registration', async () => {
	const t = await newTrigger('rotation');
	await publish(t);
	const [record] = registrationsAt(q.main.sandbox, t.url);
	q.main.sandbox.expireSessions();
	await expectAcceptedByEveryProcessor(t, 1);
	const { id } = q.main.credential;
	await q.main.rest.editCredential(id, {
		authentication: 'sessionToken',
		apiToken: q.main.sandbox.login(),
	});
	await q.restartAll();
	await expectAcceptedByEveryProcessor(t, 2);
	await expectExecutionCount(t.id, 4, 60_000);
	await unpublish(t);
	expect(registrationsAt(q.main.sandbox, t.url)).toEqual([]);
	expect(q.main.sandbox.records().map((r) => r.id)).not.toContain(record.id);
	// Back to email and password for the tests after this one: the next call logs in anew.
	await q.main.rest.editCredential(id, { authentication: 'emailPassword' });
}, 420_000);

test(
	'1,000 signed distinct deliveries at concurrency 20 through the proxy: exactly 1,000 executions, no 5xx, none lost',
	async () => {
		const t = await newTrigger('load');
		await publish(t);
		const started = Date.now();
		const deliveries = signedVariants(flatPayload(2, 'load'), 1000, secretOf(t), { first: 1000 });
		q.proxy.resetCounters();
		const result = await runLoad(
			t.url,
			deliveries.map((d) => ({ body: d.body, headers: deliveryHeaders(d) })),
			// Generous per-request timeout: on a busy machine the processors answer slowly, not wrongly.
			{ concurrency: 20, timeLimitMs: 300_000, requestTimeoutMs: 120_000 },
		);
		timings.load1000 = Date.now() - started;
		expect({ sent: result.sent, errors: result.errorCodes, status5xx: result.status5xx }).toEqual({
			sent: 1000,
			errors: {},
			status5xx: 0,
		});
		expect(result.statusCounts).toEqual({ 200: 1000 });
		console.log(`[queue] load: ${JSON.stringify(q.proxy.snapshot())}`);
		await expectExecutionCount(t.id, 1000);
		await q.main.sink.waitForCount(t.tag, 1000, 60_000);
		expect(new Set(eventIdsAt(t.tag)).size).toBe(1000);
		timings.load1000Settled = Date.now() - started;
	},
	LOAD_TEST_TIMEOUT_MS,
);

test(
	`1,000 deliveries, 10% exact duplicates sent to the OTHER processor when WhatsAble would resend them (${RESEND_AFTER_MS} ms after the original was sent): executions equal the unique count`,
	async () => {
		const t = await newTrigger('duplicates');
		await publish(t);
		const started = Date.now();
		const unique = signedVariants(flatPayload(2, 'dupes'), 900, secretOf(t), { first: 10_000 });
		const answers = await pool(
			unique.map((d, i) => async () => {
				const backend = i % 2;
				const sentAt = Date.now();
				const kinds = [statusOf(await send(t, d, backend))];
				if (i % 9 === 4) {
					// As WhatsAble resends: the same bytes, to the other processor.
					await sleep(Math.max(0, sentAt + RESEND_AFTER_MS - Date.now()));
					kinds.push(statusOf(await send(t, d, 1 - backend)));
				}
				return kinds;
			}),
			20,
		);
		timings.dupes1000 = Date.now() - started;
		const kinds = tally(answers.flat());
		console.log(`[queue] duplicates: answers ${JSON.stringify(kinds)}`);
		expect(kinds).toEqual({ accepted: 900, duplicate: 100 });
		// A "duplicate" answer started nothing, an "accepted" one exactly one execution.
		await expectExecutionCount(t.id, 900);
	},
	LOAD_TEST_TIMEOUT_MS,
);

test("measured: how soon after the original's answer a duplicate sent to the other processor is caught", async () => {
	const t = await newTrigger('window');
	await publish(t);
	const delays = CATCH_DELAYS_MS;
	const perDelay = 10;
	const deliveries = signedVariants(
		flatPayload(2, 'window'),
		delays.length * perDelay,
		secretOf(t),
		{ first: 30_000 },
	);
	const outcomes = await pool(
		deliveries.map((d, i) => async () => {
			const delay = delays[i % delays.length];
			const backend = i % 2;
			expect(statusOf(await send(t, d, backend))).toBe('accepted');
			await sleep(delay);
			return { delay, caught: statusOf(await send(t, d, 1 - backend)) === 'duplicate' };
		}),
		6,
	);
	const caught = Object.fromEntries(
		delays.map((delay) => [
			`${delay} ms`,
			`${outcomes.filter((o) => o.delay === delay && o.caught).length}/${perDelay}`,
		]),
	);
	console.log(
		`[queue] duplicates to the other processor caught, by delay after the answer: ${JSON.stringify(caught)}`,
	);
	// Whatever was caught or not, answers and executions agree: no hidden second run, none lost.
	await expectExecutionCount(
		t.id,
		outcomes.length + outcomes.filter((o) => !o.caught).length,
		120_000,
	);
}, 300_000);

test(
	'a webhook processor SIGKILLed and restarted mid-load, WhatsAble retrying: every message has at least one execution',
	async () => {
		const t = await newTrigger('kill');
		await publish(t);
		const [record] = registrationsAt(q.main.sandbox, t.url);
		const started = Date.now();
		const base = flatPayload(2, 'kill');
		const messages = Array.from({ length: 300 }, (_, i) =>
			JSON.stringify(variant(base, 20_000 + i)),
		);
		q.proxy.resetCounters();
		let sent = 0;
		let restarted: Promise<void> | undefined;
		const reports = await pool(
			messages.map((m) => async () => {
				if (++sent === 60) {
					const victim = q.webhooks[0];
					restarted = victim.kill().then(async () => {
						await sleep(2000);
						await victim.start();
					});
				}
				return await q.main.sandbox.deliver(m, { to: record.id, attempts: 10, baseDelayMs: 500 });
			}),
			10,
		);
		await restarted;
		timings.kill = Date.now() - started;
		const counters = q.proxy.snapshot();
		console.log(`[queue] kill: answers per processor ${JSON.stringify(counters)}`);
		console.log(
			`[queue] kill: answered 503 by the balancer (no processor ready): ${q.proxy.unrouted}`,
		);
		expect(counters[0].takenOut).toBeGreaterThan(0); // the kill was felt: the balancer took it out
		expect(reports.flat().filter((r) => !r.delivered)).toEqual([]);
		await q.main.sink.waitForCount(t.tag, messages.length, 180_000).catch(() => undefined);
		const ran = new Set(eventIdsAt(t.tag));
		const finalAnswers = tally(
			reports.flat().map((r) => statusOf({ status: 200, text: r.body } as HttpResponse)),
		);
		// For a message without an execution: what each attempt got, and the last answer's body.
		const unrun = messages
			.map((m, i) => ({ eventId: eventIdOf(m), report: reports[i] }))
			.filter(({ eventId }) => !ran.has(eventId))
			.map(({ eventId, report }) => ({
				eventId,
				attempts: [report].flat().map((r) => ({ attempts: r.attempts, body: r.body })),
			}));
		console.log(
			`[queue] kill: final answers ${JSON.stringify(finalAnswers)}; messages without an execution: ${JSON.stringify(unrun)}`,
		);
		expect(ran.size).toBe(messages.length);
	},
	LOAD_TEST_TIMEOUT_MS,
);
