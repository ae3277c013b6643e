/**
 * Pause While a Human Replies in a real n8n (2.41.1 by default): turning the option on for a
 * published workflow registers for outgoing messages too; a teammate's reply pauses the contact
 * (200 "paused", no execution) until the pause ends by itself; an automation's reply pauses no
 * one; the pause holds across an n8n restart.
 */
import { randomUUID } from 'node:crypto';

import { buildFlatPayload } from '../../sandbox';
import { sleep, triggerWorkflow } from '../../scripts/n8n';
import { OWNER, registrationsAt, setUp, tearDown, type E2eEnv } from './env';

let env: E2eEnv;
const published: string[] = [];

beforeAll(async () => {
	env = await setUp();
}, 20 * 60_000);

afterAll(async () => {
	for (const id of published) await env?.rest.deactivate(id).catch(() => undefined);
	await tearDown(env);
}, 120_000);

interface Trigger {
	id: string;
	url: string;
	registrationId: number;
}

async function publishTrigger(name: string, parameters: Record<string, unknown>): Promise<Trigger> {
	const wf = triggerWorkflow({
		name: `pause: ${name}`,
		credential: env.credential,
		sinkUrl: env.sink.urlFor(name),
		webhookBaseUrl: env.n8n.webhookUrl,
		parameters: { events: ['incoming'], ...parameters },
	});
	const { workflow, status } = await env.createAndPublish(wf.json);
	expect(status.status).toBe('published');
	published.push(workflow.id);
	const [registration] = registrationsAt(env.sandbox, wf.url);
	return { id: workflow.id, url: wf.url, registrationId: registration.id };
}

const contact = () => `1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** Delivers to this trigger only; the answer's body. */
async function deliver(
	t: Trigger,
	payload: Record<string, unknown>,
): Promise<{ status?: string; until?: string }> {
	const [report] = await env.sandbox.deliver(payload, { to: t.registrationId, attempts: 1 });
	expect(report.delivered).toBe(true);
	return JSON.parse(report.body) as { status?: string; until?: string };
}

const fromContact = (phone: string, text: string) =>
	buildFlatPayload({ phone, text: `${text} ${randomUUID()}` });
const teammate = (phone: string) =>
	buildFlatPayload({
		phone,
		outgoing: true,
		byHuman: true,
		sendBy: 'Dana (inbox)',
		text: `on it ${randomUUID()}`,
	});
const automation = (phone: string) =>
	buildFlatPayload({
		phone,
		outgoing: true,
		byHuman: false,
		sendBy: 'n8n',
		text: `auto ${randomUUID()}`,
	});

async function executionCount(t: Trigger): Promise<number> {
	return (await env.rest.listExecutions(t.id)).length;
}

test('turning the option on for a published workflow and publishing again registers for outgoing messages too (n8n replaces the registration: still exactly one)', async () => {
	const t = await publishTrigger('option on later', {});
	expect(registrationsAt(env.sandbox, t.url)).toEqual([
		expect.objectContaining({ id: t.registrationId, outgoing: false }),
	]);
	const { nodes, connections } = await env.rest.getWorkflow(t.id);
	await env.rest.saveWorkflow(t.id, {
		nodes: nodes.map((n) =>
			n.id === nodes[0].id ? { ...n, parameters: { ...n.parameters, humanPause: true } } : n,
		),
		connections,
	});
	expect(await env.rest.activate(t.id)).toMatchObject({ status: 'published' });
	expect(registrationsAt(env.sandbox, t.url)).toEqual([
		expect.objectContaining({ incoming: true, outgoing: true }),
	]);
});

test("a teammate's reply pauses the contact: 200 paused with its end, no execution; after the pause the contact runs again", async () => {
	const t = await publishTrigger('pause ends', { humanPause: true, humanPauseMinutes: 0.1 });
	const phone = contact();
	expect(await deliver(t, teammate(phone))).toMatchObject({ status: 'filtered' });
	const answer = await deliver(t, fromContact(phone, 'hello?'));
	expect(answer.status).toBe('paused');
	const until = Date.parse(String(answer.until));
	expect(until - Date.now()).toBeGreaterThan(0);
	expect(until - Date.now()).toBeLessThanOrEqual(6_000);
	expect(await deliver(t, fromContact(contact(), 'another contact'))).toMatchObject({
		status: 'accepted',
	});

	await sleep(Math.max(0, until - Date.now()) + 500);
	expect(await deliver(t, fromContact(phone, 'anyone now?'))).toMatchObject({ status: 'accepted' });
	await env.rest.waitForExecutions(t.id, 2);
	await sleep(1_000);
	expect(await executionCount(t)).toBe(2);
});

test("an automation's outgoing message (the workflow's own) pauses no one", async () => {
	const t = await publishTrigger('automation', { humanPause: true });
	const phone = contact();
	expect(await deliver(t, automation(phone))).toMatchObject({ status: 'filtered' });
	expect(await deliver(t, fromContact(phone, 'still a bot?'))).toMatchObject({
		status: 'accepted',
	});
	await env.rest.waitForExecutions(t.id, 1);
});

test('the pause holds across an n8n restart', async () => {
	const t = await publishTrigger('restart', { humanPause: true, humanPauseMinutes: 30 });
	const phone = contact();
	expect(await deliver(t, teammate(phone))).toMatchObject({ status: 'filtered' });
	const before = await deliver(t, fromContact(phone, 'before the restart'));
	expect(before.status).toBe('paused');
	await env.n8n.restart();
	await env.rest.login(OWNER.email, OWNER.password);
	expect(await deliver(t, fromContact(phone, 'after the restart'))).toEqual(before);
	expect(await executionCount(t)).toBe(0);
});
