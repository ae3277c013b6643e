/* eslint-disable no-console -- dev tooling, not shipped in the package */
/**
 * Reliability: a crash under load. 500 distinct deliveries go out through the sandbox, signed and
 * retried as WhatsAble does (every unanswered or non-2xx delivery, backoff, at most 3 tries);
 * while they are under way n8n is killed with SIGKILL and started again on the same port. Then
 * every message must have at least one execution in n8n (0 lost); the messages that ran twice
 * are counted and printed (the README quotes the figure).
 *
 * An execution is a workflow run n8n recorded for the message: one that reached the sink, or one
 * n8n kept without finishing (killed mid-run: n8n saves an execution, with the trigger's items,
 * before it runs it, and marks it crashed when it starts again).
 */
import { randomUUID } from 'node:crypto';

import { buildFlatPayload, type DeliveryReport } from '../../sandbox';
import { sleep, triggerWorkflow, type ExecutionSummary } from '../../scripts/n8n';
import { registrationsAt, setUp, tearDown, type E2eEnv } from './env';

const MESSAGES = 500;
const CONCURRENCY = 20;
/** n8n is killed once this many deliveries have been answered. */
const KILL_AFTER = 150;
/**
 * WhatsAble retries with backoff and does not document the delays: tries at 0, 15 s and 45 s
 * cover an n8n start (20-40 s on a busy 2-CPU machine) for deliveries refused while it is down.
 */
const RETRY = { attempts: 3, baseDelayMs: 15_000 };
const TEST_TIMEOUT_MS = 300_000;

let env: E2eEnv;

beforeAll(async () => {
	env = await setUp();
}, 600_000);

afterAll(async () => {
	await tearDown(env);
});

/** The message number a text, a sink body or an execution's data carries, for every match. */
function messageNumbers(text: string, marker: string): number[] {
	const found: number[] = [];
	const pattern = new RegExp(`${marker} #(\\d+)\\b`, 'g');
	for (const match of text.matchAll(pattern)) found.push(Number(match[1]));
	return found;
}

const UNFINISHED = ['new', 'running', 'waiting', 'unknown', 'crashed', 'error', 'canceled'];

/** The workflow's executions in these statuses (one page: fewer than 100 are ever unfinished here). */
async function executionsIn(workflowId: string, status: string[]): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	const { results } = await env.rest.call<{ results: ExecutionSummary[] }>(
		'GET',
		`/rest/executions?filter=${filter}&limit=100`,
	);
	if (results.length >= 100)
		throw new Error(`${results.length} executions in ${status.join(', ')}: more than one page`);
	return results;
}

/** Sends every payload through the sandbox, `concurrency` at a time; calls `onAnswered` per message. */
async function deliverAll(
	payloads: Array<Record<string, unknown>>,
	to: number,
	onAnswered: (done: number) => void,
): Promise<DeliveryReport[]> {
	const reports: DeliveryReport[] = new Array<DeliveryReport>(payloads.length);
	let next = 0;
	let done = 0;
	const worker = async () => {
		while (next < payloads.length) {
			const i = next++;
			const [report] = await env.sandbox.deliver(payloads[i], { to, ...RETRY });
			reports[i] = report;
			onAnswered(++done);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	return reports;
}

test(
	`a SIGKILL of n8n during ${MESSAGES} deliveries: every message has an execution afterwards, and the ones that ran twice are counted`,
	async () => {
		const marker = `crash-${randomUUID().slice(0, 8)}`;
		const tag = marker;
		const wf = triggerWorkflow({
			name: 'reliability: crash under load',
			credential: env.credential,
			sinkUrl: env.sink.urlFor(tag),
			webhookBaseUrl: env.n8n.webhookUrl,
		});
		const { workflow, status } = await env.createAndPublish(wf.json);
		expect(status).toMatchObject({ status: 'published' });
		const [registration] = registrationsAt(env.sandbox, wf.url);
		expect(registration).toBeDefined();

		const payloads = Array.from({ length: MESSAGES }, (_, n) =>
			buildFlatPayload({ text: `${marker} #${n}` }),
		);
		let killed: Promise<void> | undefined;
		const timings: Record<string, number> = {};
		const t0 = Date.now();
		const reports = await deliverAll(payloads, registration.id, (done) => {
			if (done !== KILL_AFTER || killed) return;
			killed = (async () => {
				timings.killAtMs = Date.now() - t0;
				await env.n8n.kill();
				const restart = Date.now();
				await env.n8n.start();
				timings.restartMs = Date.now() - restart;
			})();
		});
		await killed;
		timings.deliveriesMs = Date.now() - t0;
		expect(killed).toBeDefined();

		// Let the last executions finish, then read n8n's record of every run.
		console.log(
			`[crash] deliveries done in ${timings.deliveriesMs} ms (kill at ${timings.killAtMs} ms, n8n back in ${timings.restartMs} ms)`,
		);
		for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
			if ((await executionsIn(workflow.id, ['new', 'running'])).length === 0) break;
			await sleep(1000);
		}
		await sleep(2000);
		const runs = new Array<number>(MESSAGES).fill(0);
		const atSink = new Array<number>(MESSAGES).fill(0);
		for (const body of env.sink.bodiesFor(tag)) {
			const [n] = messageNumbers(JSON.stringify(body), marker);
			if (n !== undefined) atSink[n]++;
		}
		// Finished runs reached the sink; the others are read from n8n's saved execution data.
		const unfinished = await executionsIn(workflow.id, UNFINISHED);
		for (let n = 0; n < MESSAGES; n++) runs[n] = atSink[n];
		for (const e of unfinished) {
			const detail = await env.rest.getExecution(e.id);
			for (const n of new Set(messageNumbers(detail.rawText, marker))) runs[n]++;
		}

		const lost = runs.flatMap((count, n) => (count === 0 ? [n] : []));
		const twice = runs.filter((count) => count >= 2).length;
		const undelivered = reports.filter((r) => !r.delivered).length;
		const retried = reports.filter((r) => r.attempts.length > 1).length;
		const statuses: Record<string, number> = {};
		for (const e of unfinished) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
		console.log(
			`[crash] ${MESSAGES} messages, SIGKILL after ${KILL_AFTER} answered (${timings.killAtMs} ms in), n8n back in ${timings.restartMs} ms; ` +
				`${retried} retried by the sandbox, ${undelivered} never got a 2xx; ` +
				`executions: ${atSink.reduce((s, c) => s + c, 0)} finished, ${unfinished.length} unfinished ${JSON.stringify(statuses)}; ` +
				`lost: ${lost.length}; ran twice: ${twice}; ${timings.deliveriesMs} ms`,
		);
		expect(lost).toEqual([]);
	},
	TEST_TIMEOUT_MS,
);
