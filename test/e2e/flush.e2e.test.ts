/**
 * The trigger's flush (the request that saves its duplicate window) in a real n8n 2.41.1 run with
 * n8n's SSRF protection on, as the README recommends:
 * - n8n cannot reach its own URL (127.0.0.1 is blocked; the sandbox sits on 127.0.0.2, allowed):
 *   the log says once why the window is not saved, and what to do;
 * - a flush is proved by the credential's sealing key over its body and time, once: a replayed
 *   flush, or its proof on another window, is judged as a delivery and changes nothing; entries
 *   dated in the future are never saved.
 */
import { buildFlatPayload } from '../../sandbox';
import { DedupeWindow, dedupeKey } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { FLUSH_HEADER } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { flushProof } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';
import { httpRequest, sleep, triggerWorkflow, waitFor } from '../../scripts/n8n';
import { eventIdOf } from '../../scripts/lib/events';
import { registrationsAt, setUp, tearDown, type E2eEnv } from './env';

let env: E2eEnv;
let trigger: { id: string; url: string; scope: string };

const UNREACHABLE_LOG = 'could not send the request that saves its duplicate window';

beforeAll(async () => {
	env = await setUp({
		sandbox: { host: '127.0.0.2' },
		env: { N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.2/32' },
	});
	const wf = triggerWorkflow({
		name: 'flush: SSRF protection on',
		credential: env.credential,
		sinkUrl: env.sink.urlFor('flush'),
		webhookBaseUrl: env.n8n.webhookUrl,
	});
	const { workflow, status } = await env.createAndPublish(wf.json);
	expect(status.status).toBe('published');
	trigger = { id: workflow.id, url: wf.url, scope: `${workflow.id}:${String(wf.json.nodes[0].id)}:production` };
}, 10 * 60_000);

afterAll(async () => {
	await tearDown(env);
}, 120_000);

const logCount = () => env.n8n.logs.split(UNREACHABLE_LOG).length - 1;

async function savedWindow(): Promise<string> {
	return JSON.stringify((await env.rest.getWorkflow(trigger.id)).staticData ?? null);
}

async function sendFlush(body: string, proof: string) {
	const res = await httpRequest(trigger.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [FLUSH_HEADER]: proof },
		body,
	});
	return { status: res.status, text: res.text };
}

/**
 * A flush body holding one delivery's key, and that key. The key comes from the same payload: a
 * flat payload's event id holds the second it was built in, so a second payload built after the
 * flush's round trip can fall in the next second and name another key.
 */
const windowOf = (text: string, at = Date.now()) => {
	const key = dedupeKey(eventIdOf(JSON.stringify(buildFlatPayload({ text }))));
	const window = new DedupeWindow();
	window.checkAndRecord(key, at);
	return { body: JSON.stringify({ seen: window.pack() }), key };
};

test("with SSRF protection on, the flush cannot reach n8n's own URL: the log says so once, with the way out", async () => {
	expect(registrationsAt(env.sandbox, trigger.url)).toHaveLength(1);
	for (const text of ['first', 'second', 'third']) {
		const [report] = await env.sandbox.deliver(buildFlatPayload({ text }));
		expect(report.delivered).toBe(true);
	}
	await waitFor('the warning in the log', async () => (logCount() > 0 ? true : undefined), {
		timeoutMs: 30_000,
		intervalMs: 500,
	});
	const line = env.n8n.logs.slice(env.n8n.logs.indexOf(UNREACHABLE_LOG) - 200, env.n8n.logs.indexOf(UNREACHABLE_LOG) + 700);
	expect(line).toContain("n8n's SSRF protection blocked it");
	expect(line).toContain('N8N_SSRF_ALLOWED_HOSTNAMES');
	const [report] = await env.sandbox.deliver(buildFlatPayload({ text: 'fourth' }));
	expect(report.delivered).toBe(true);
	await sleep(6_000);
	expect(logCount()).toBe(1);
}, 120_000);

test('a replayed flush, or its proof on another window, changes nothing; future entries are never saved', async () => {
	const key = String((await env.decryptedCredential(env.credential.id)).sealingKey);
	expect(key.length).toBeGreaterThan(20);
	const { body: genuine, key: genuineKey } = windowOf('seen on another processor');
	const proof = flushProof(key, trigger.scope, genuine, Date.now());
	expect(JSON.parse((await sendFlush(genuine, proof)).text)).toMatchObject({ status: 'flushed' });
	// n8n saves static data just after the answer: wait for it, then nothing may change it.
	await waitFor('the flushed window to be saved', async () => ((await savedWindow()).includes(genuineKey) ? true : undefined), {
		timeoutMs: 10_000,
		intervalMs: 250,
	});
	const saved = await savedWindow();

	const replay = await sendFlush(genuine, proof);
	expect(replay.status).toBe(401);
	const poisoned = windowOf('a future delivery, saved in advance').body;
	expect((await sendFlush(poisoned, proof)).status).toBe(401);
	await sleep(1_000);
	expect(await savedWindow()).toBe(saved);

	const future = windowOf('ten years ahead', Date.now() + 10 * 365 * 86_400_000).body;
	const answer = await sendFlush(future, flushProof(key, trigger.scope, future, Date.now()));
	expect(JSON.parse(answer.text)).toEqual({ status: 'flushed', missing: [] });
	await sleep(1_000);
	expect(await savedWindow()).toBe(saved);
});
