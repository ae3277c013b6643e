/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * Wait for the Contact to Pause in a real n8n (2.41.1 by default): three messages of one contact
 * seconds apart start ONE execution holding the three in order, answered within WhatsAble's 10 s
 * (the margin is printed); a fourth after the quiet time starts a second; n8n SIGKILLed in the
 * middle of a burst while the sandbox retries as WhatsAble does: every message reaches exactly
 * one execution (counted); a test listen combines a burst the same way.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { buildFlatPayload, type DeliveryReport } from '../../sandbox';
import {
	nodeOutput,
	sleep,
	testUrl,
	triggerWorkflow,
	TRIGGER_NODE,
	waitFor,
	type WorkflowJson,
} from '../../scripts/n8n';
import { CREDENTIAL_TYPE } from '../../scripts/n8n/nodeTypes';
import { registrationsAt, setUp, tearDown, type E2eEnv } from './env';

/** What the example's OpenAI credential holds: n8n needs one to publish; nothing calls OpenAI here. */
const NOT_A_KEY = ['sk', 'e2e', 'not', 'a', 'key'].join('-');
/** WhatsAble's answer timeout: every held delivery must be answered well inside it. */
const WHATSABLE_TIMEOUT_MS = 10_000;
/** As crash.e2e.test.ts: tries at 0, 15 s and 45 s cover an n8n restart. */
const RETRY = { attempts: 3, baseDelayMs: 15_000 };

let env: E2eEnv;

beforeAll(async () => {
	env = await setUp();
}, 20 * 60_000);

afterAll(async () => {
	await tearDown(env);
}, 120_000);

interface Trigger {
	id: string;
	tag: string;
	registrationId: number;
}

function burstWorkflow(name: string, quietSeconds: number) {
	const tag = `${name.replace(/\W+/g, '-')}-${randomUUID().slice(0, 6)}`;
	const wf = triggerWorkflow({
		name: `bursts: ${name}`,
		credential: env.credential,
		sinkUrl: env.sink.urlFor(tag),
		webhookBaseUrl: env.n8n.webhookUrl,
		parameters: { events: ['incoming'], combineBursts: true, quietSeconds },
	});
	return { tag, wf };
}

async function publishTrigger(name: string, quietSeconds: number): Promise<Trigger> {
	const { tag, wf } = burstWorkflow(name, quietSeconds);
	const { workflow, status } = await env.createAndPublish(wf.json);
	expect(status.status).toBe('published');
	const [registration] = registrationsAt(env.sandbox, wf.url);
	return { id: workflow.id, tag, registrationId: registration.id };
}

interface BurstBody {
	eventId: string;
	burst: { count: number; text: string; messages: Array<{ eventId: string; text: string | null }> };
}

const bursts = (t: Trigger) => env.sink.bodiesFor(t.tag) as unknown as BurstBody[];

/** Sends `texts` from one contact, `gapMs` apart, each retried as WhatsAble does; all reports. */
async function sendBurst(
	t: Trigger,
	phone: string,
	texts: string[],
	gapMs: number,
	opts: { attempts?: number; baseDelayMs?: number } = { attempts: 1 },
): Promise<Array<DeliveryReport & { ms: number }>> {
	return await Promise.all(
		texts.map(async (text, n) => {
			await sleep(n * gapMs);
			const sent = Date.now();
			const [report] = await env.sandbox.deliver(buildFlatPayload({ phone, text }), {
				to: t.registrationId,
				...opts,
			});
			return { ...report, ms: Date.now() - sent };
		}),
	);
}

async function sinkCount(t: Trigger, count: number): Promise<void> {
	for (const deadline = Date.now() + 60_000; Date.now() < deadline && bursts(t).length < count; )
		await sleep(250);
	await sleep(1_500);
	expect(bursts(t)).toHaveLength(count);
}

test('three messages a second apart: ONE execution with the three in order, every answer inside 10 s; a fourth after the quiet time: a second execution', async () => {
	const t = await publishTrigger('three', 2);
	const phone = `1415${String(Date.now()).slice(-7)}`;
	const texts = ['Hi', 'I want to order', 'a large pizza'];
	const reports = await sendBurst(t, phone, texts, 1_000);
	expect(reports.map((r) => r.delivered)).toEqual([true, true, true]);
	const answers = reports.map((r) => (JSON.parse(r.body) as { status: string }).status);
	expect(answers.sort()).toEqual(['accepted', 'combined', 'combined']);
	const slowest = Math.max(...reports.map((r) => r.ms));
	console.log(
		`[bursts] 3 messages 1 s apart, quiet time 2 s: answers after ${reports.map((r) => r.ms).join(', ')} ms; margin to WhatsAble's 10 s: ${WHATSABLE_TIMEOUT_MS - slowest} ms`,
	);
	expect(slowest).toBeLessThan(WHATSABLE_TIMEOUT_MS - 1_000);

	await sinkCount(t, 1);
	const [first] = bursts(t);
	expect(first.burst.count).toBe(3);
	expect(first.burst.messages.map((m) => m.text)).toEqual(texts);
	expect(first.burst.text).toBe(texts.join('\n'));

	await sleep(500);
	await sendBurst(t, phone, ['and a cola'], 0);
	await sinkCount(t, 2);
	expect(bursts(t)[1].burst).toMatchObject({ count: 1, text: 'and a cola' });
});

test('a contact who never stops typing is answered in time: the burst is cut at 7 s', async () => {
	const t = await publishTrigger('cut', 5);
	const phone = `1416${String(Date.now()).slice(-7)}`;
	const texts = Array.from({ length: 6 }, (_, n) => `typing ${n}`);
	const reports = await sendBurst(t, phone, texts, 1_500);
	const slowest = Math.max(...reports.map((r) => r.ms));
	console.log(
		`[bursts] 6 messages 1.5 s apart, quiet time 5 s: answers after ${reports.map((r) => r.ms).join(', ')} ms; margin: ${WHATSABLE_TIMEOUT_MS - slowest} ms`,
	);
	expect(reports.every((r) => r.delivered)).toBe(true);
	expect(slowest).toBeLessThan(WHATSABLE_TIMEOUT_MS - 1_000);
	await sinkCount(t, 2);
	expect(bursts(t).flatMap((b) => b.burst.messages.map((m) => m.text))).toEqual(texts);
});

test('n8n SIGKILLed in the middle of a burst, the sandbox retrying as WhatsAble does: every message in exactly one execution', async () => {
	const t = await publishTrigger('kill', 3);
	const phone = `1417${String(Date.now()).slice(-7)}`;
	const texts = ['kill one', 'kill two', 'kill three'];
	const sending = sendBurst(t, phone, texts, 800, RETRY);
	await sleep(2_000); // the first two are held, the third on its way
	await env.n8n.kill();
	await env.n8n.start();
	const reports = await sending;
	expect(reports.every((r) => r.delivered)).toBe(true);
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
		const seen = bursts(t).flatMap((b) => b.burst.messages.map((m) => m.text));
		if (texts.every((x) => seen.includes(x))) break;
		await sleep(500);
	}
	await sleep(3_000);
	const seen = bursts(t).flatMap((b) => b.burst.messages.map((m) => m.text));
	console.log(
		`[bursts] SIGKILL mid-burst: ${reports.map((r) => r.attempts.length).join(', ')} tries; executions ${bursts(t).length}, messages seen ${JSON.stringify(seen)}`,
	);
	expect([...seen].sort()).toEqual([...texts].sort());
});

test('a test listen ("Listen for test event") with the option on: a burst of two in ONE manual execution; the listen then ends and its registration is deleted', async () => {
	const { tag, wf } = burstWorkflow('listen', 2);
	const workflow = await env.rest.createWorkflow(wf.json);
	await env.rest.runManually(workflow.id, { triggerToStartFrom: { name: TRIGGER_NODE } });
	const listenUrl = testUrl(env.n8n.webhookUrl, wf.webhookId, 'webhook');
	const [registration] = registrationsAt(env.sandbox, listenUrl);
	expect(registration).toBeDefined();

	const t = { id: workflow.id, tag, registrationId: registration.id };
	const phone = `1419${String(Date.now()).slice(-7)}`;
	const reports = await sendBurst(t, phone, ['listen one', 'listen two'], 700);
	const answers = reports.map((r) => (JSON.parse(r.body) as { status: string }).status);
	expect(answers.sort()).toEqual(['accepted', 'combined']);
	await sinkCount(t, 1);
	expect(bursts(t)[0].burst).toMatchObject({ count: 2, text: 'listen one\nlisten two' });

	// n8n ends a test listen after its first execution; the trigger deletes the registration it made.
	await waitFor(
		'the test registration to be deleted',
		() => (registrationsAt(env.sandbox, listenUrl).length === 0 ? true : undefined),
		{ timeoutMs: 15_000 },
	);
	expect(registrationsAt(env.sandbox, listenUrl)).toEqual([]);
});

test("the README's example (examples/ai-agent-conversation.json) imports into n8n, publishes with the credential picked, and hands the agent one burst", async () => {
	const example = JSON.parse(
		readFileSync(path.join(__dirname, '../../examples/ai-agent-conversation.json'), 'utf8'),
	) as WorkflowJson;
	const trigger = example.nodes.find((n) => n.name === TRIGGER_NODE);
	if (!trigger) throw new Error('the example has no WhatsAble Trigger');
	// What the user does after importing: pick the credentials (n8n gives the trigger a webhook id).
	const webhookId = randomUUID();
	Object.assign(trigger, { webhookId, credentials: { [CREDENTIAL_TYPE]: env.credential } });
	const openAi = await env.rest.createCredential({
		name: 'e2e: OpenAI (not reachable here)',
		type: 'openAiApi',
		data: { apiKey: NOT_A_KEY },
	});
	const model = example.nodes.find((n) => n.name === 'OpenAI Chat Model');
	if (!model) throw new Error('the example has no OpenAI Chat Model');
	Object.assign(model, { credentials: { openAiApi: { id: openAi.id, name: openAi.name } } });
	const { workflow, status } = await env.createAndPublish(example);
	expect(status.status).toBe('published');
	const [registration] = registrationsAt(
		env.sandbox,
		`${env.n8n.webhookUrl.replace(/\/$/, '')}/webhook/${webhookId}/webhook`,
	);
	expect(registration).toMatchObject({ incoming: true, outgoing: true }); // the pause needs outgoing

	const phone = `1418${String(Date.now()).slice(-7)}`;
	const t = { id: workflow.id, tag: '', registrationId: registration.id };
	await sendBurst(t, phone, ['hello', 'do you deliver on sundays?'], 500);
	const [run] = await env.rest.waitForExecutions(workflow.id, 1);
	const [item] = nodeOutput(await env.rest.getExecution(run.id), TRIGGER_NODE);
	expect(item.burst).toMatchObject({ count: 2, text: 'hello\ndo you deliver on sundays?' });
	await env.rest.deactivate(workflow.id);
});
