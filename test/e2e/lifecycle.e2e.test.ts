/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- dev tooling, not shipped in the package */
/**
 * The package in a real n8n (2.41.1, or the version N8N_VERSION names: 1.123.81 is tested too),
 * installed from its packed tarball the way n8n installs community nodes, against the WhatsAble
 * sandbox (Origin check on). One n8n for the whole file: the tests run in order and build on each
 * other (the main workflow stays published throughout). "Publish" means activate on 1.x; the
 * harness (scripts/n8n/rest.ts) does either; where the lines behave differently, the test of
 * each behaviour runs on its line only.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { dedupeKey } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { buildFlatPayload, resnapshot, type DeliveryReport } from '../../sandbox';
import {
	CREDENTIAL_TYPE,
	TRIGGER_NODE,
	actionNode,
	httpRequest,
	manualChain,
	nodeOutput,
	runN8nCli,
	sleep,
	triggerWorkflow,
	waitFor,
	type ExecutionDetail,
} from '../../scripts/n8n';
import {
	LINE,
	OWNER,
	apiCallsSince,
	executions,
	expectExecutionCountStays,
	isCreate,
	isDeleteOf,
	isList,
	registrationsAt,
	setUp,
	tearDown,
	testOn,
	type E2eEnv,
} from './env';
import { expectedItems, fixturePayloads } from '../../scripts/lib/fixtures';
import { itemSchemaProblems } from './itemSchema';

let env: E2eEnv;
const suiteStarted = Date.now();

/** Every signature secret WhatsAble (the sandbox) handed out to the trigger during the run. */
const secretsSeen = new Set<string>();
/** Session tokens the suite pasted into credentials, for the leak check. */
const pastedTokens = new Set<string>();
/** Every workflow the suite created, for the leak check. */
const workflowIds = new Set<string>();

interface Published {
	id: string;
	url: string;
	webhookId: string;
	registrationId: number;
}
let main: Published;

function nonce(): string {
	return randomUUID().slice(0, 8);
}

function rememberSecretOf(registrationId: number): void {
	const secret = env.sandbox.secretOf(registrationId);
	if (!secret) throw new Error(`the sandbox holds no secret for registration ${registrationId}`);
	secretsSeen.add(secret);
}

function lastStatus(reports: DeliveryReport[]): number | string | undefined {
	expect(reports).toHaveLength(1);
	const last = reports[0].attempts[reports[0].attempts.length - 1];
	return last?.status ?? last?.error;
}

/** Delivers a payload to the main trigger's registration; returns the last answer's status. */
async function deliver(
	payload: unknown,
	opts: Parameters<E2eEnv['sandbox']['deliver']>[1] = {},
): Promise<number | string | undefined> {
	return lastStatus(await env.sandbox.deliver(payload, { to: main.registrationId, ...opts }));
}

/** Waits for the next execution of a workflow and returns it with its data. */
async function nextExecution(workflowId: string, before: number): Promise<ExecutionDetail> {
	const list = await env.rest.waitForExecutions(workflowId, before + 1);
	expect(list).toHaveLength(before + 1);
	return await env.rest.getExecution(list[list.length - 1].id);
}

function triggerItems(exec: ExecutionDetail): Array<Record<string, unknown>> {
	return nodeOutput(exec, TRIGGER_NODE);
}


/** A delivery that starts one execution of the main workflow; returns that execution's item. */
async function deliverAndExpectOneExecution(
	payload: unknown,
	opts: Parameters<typeof deliver>[1] = {},
): Promise<Record<string, unknown>> {
	const before = (await executions(env, main.id)).length;
	expect(await deliver(payload, opts)).toBe(200);
	const exec = await nextExecution(main.id, before);
	expect(exec.status).toBe('success');
	const items = triggerItems(exec);
	expect(items).toHaveLength(1);
	return items[0];
}

/**
 * Waits (bounded) until n8n has written the duplicate window holding `eventId` into the
 * trigger's static data, so a restart right after cannot race the trigger's flush. Not an
 * assertion: the behaviour is asserted by re-delivering after the restart.
 */
async function settleDuplicateWindow(eventId: string): Promise<void> {
	const key = dedupeKey(eventId);
	await waitFor(
		'the duplicate window to be saved',
		async () =>
			JSON.stringify((await env.rest.getWorkflow(main.id)).staticData ?? null).includes(key)
				? true
				: undefined,
		{ timeoutMs: 10_000, intervalMs: 250 },
	).catch(() => undefined);
}

/** Saves the main workflow as the editor would after a change: renamed, its sink node moved. */
async function saveMainWithAChange(): Promise<void> {
	const { nodes, connections } = await env.rest.getWorkflow(main.id);
	await env.rest.saveWorkflow(main.id, {
		name: `e2e: main trigger (saved ${nonce()})`,
		nodes: nodes.map((n) =>
			n.name === TRIGGER_NODE ? n : { ...n, position: [n.position[0] + 20, n.position[1]] },
		),
		connections,
	});
}

beforeAll(async () => {
	env = await setUp();
}, 20 * 60_000);

afterAll(async () => {
	if (env) {
		env.timings.suite = Date.now() - suiteStarted;
		console.log(`[e2e] timings (ms): ${JSON.stringify(env.timings)}`);
	}
	await tearDown(env);
}, 120_000);

describe(`WhatsAble trigger and action node in a real n8n ${LINE.version}`, () => {
	test("publishing makes exactly one create call, with the documented body, registering the trigger's production URL", async () => {
		const wf = triggerWorkflow({
			name: 'e2e: main trigger',
			credential: env.credential,
			sinkUrl: env.sink.urlFor('main'),
			webhookBaseUrl: env.n8n.webhookUrl,
		});
		expect(wf.url).toBe(`${env.n8n.baseUrl}/webhook/${wf.webhookId}/webhook`);
		const created = await env.rest.createWorkflow(wf.json);
		workflowIds.add(created.id);

		const mark = env.sandbox.calls.length;
		const publication = await env.rest.activate(created.id);
		expect(publication).toMatchObject({
			status: 'published',
			triggers: [{ status: 'activated', errorMessage: null }],
		});

		const creates = apiCallsSince(env.sandbox, mark).filter(isCreate);
		expect(creates).toHaveLength(1);
		expect(creates[0].status).toBeLessThan(300);
		expect(creates[0].headers.origin).toBe(env.sandbox.origin);
		expect(creates[0].body).toEqual({
			webhooks: wf.url,
			status: true,
			incoming: true,
			outgoing: true,
			schedule_activity: false,
			waiting_duration: 0,
			active_signature: true,
		});
		const registrations = registrationsAt(env.sandbox, wf.url);
		expect(registrations).toHaveLength(1);
		expect(env.sandbox.records()).toHaveLength(1);
		main = {
			id: created.id,
			url: wf.url,
			webhookId: wf.webhookId,
			registrationId: registrations[0].id,
		};
		rememberSecretOf(main.registrationId);
	});

	test('each documented sample payload, signed, starts exactly one execution whose item follows the documented schema', async () => {
		const fixtures = fixturePayloads();
		expect(fixtures.length).toBeGreaterThanOrEqual(4);
		for (const { name, bytes } of fixtures) {
			const item = await deliverAndExpectOneExecution(bytes);
			expect({ name, problems: itemSchemaProblems(item) }).toEqual({ name, problems: [] });
			// The expected items leave out receivedAt, the receiving clock's.
			const expected = expectedItems(name);
			if (expected) expect([item]).toMatchObject(expected);
			// The HTTP Request node posted the very same item to the sink.
			const sunk = await env.sink.waitForCount('main', env.sink.bodiesFor('main').length);
			expect(sunk[sunk.length - 1]).toEqual(item);
		}
		expect(fixtures.map((f) => f.name)).toEqual(
			expect.arrayContaining([
				'flat-incoming-document.json',
				'flat-incoming-text.json',
				'flat-outgoing-whatsapp-app.json',
				'v2-envelope-incoming-text.json',
			]),
		);
	});

	test('signatures sent as the shared secret or as a "sha256=" HMAC are accepted too (one execution each)', async () => {
		for (const scheme of ['secret', 'hmac-prefixed'] as const) {
			const text = `scheme ${scheme} ${nonce()}`;
			const item = await deliverAndExpectOneExecution(buildFlatPayload({ text }), { scheme });
			expect(item).toMatchObject({ direction: 'incoming', message: { text } });
		}
	});

	test('a missing or wrong signature, or a tampered body, is answered 401 and starts no execution', async () => {
		const before = (await executions(env, main.id)).length;
		const sunk = env.sink.bodiesFor('main').length;
		const payload = buildFlatPayload({ text: `forged ${nonce()}` });
		expect(await deliver(payload, { omitSignature: true, attempts: 1 })).toBe(401);
		expect(await deliver(payload, { signatureOverride: 'f'.repeat(64), attempts: 1 })).toBe(401);
		expect(
			await deliver(payload, { signatureOverride: 'sha256=' + '0'.repeat(64), attempts: 1 }),
		).toBe(401);
		expect(
			await deliver(payload, {
				signatureOverride: 'not-the-secret',
				scheme: 'secret',
				attempts: 1,
			}),
		).toBe(401);
		expect(await deliver(payload, { tamperBody: true, attempts: 1 })).toBe(401);
		await expectExecutionCountStays(env, main.id, before);
		expect(env.sink.bodiesFor('main')).toHaveLength(sunk);
		// The rejected attempts did not poison the duplicate window: signed, it runs.
		await deliverAndExpectOneExecution(payload);
	});

	test('the same delivery twice (one after the other, and two at once) starts one execution each time', async () => {
		const payload = buildFlatPayload({ text: `twice ${nonce()}` });
		await deliverAndExpectOneExecution(payload);
		const after = (await executions(env, main.id)).length;
		const reports = await env.sandbox.deliver(payload, { to: main.registrationId });
		expect(lastStatus(reports)).toBe(200);
		expect(reports[0].body).toContain('duplicate');
		await expectExecutionCountStays(env, main.id, after);

		// WhatsAble's retries can overlap the first attempt.
		const concurrent = buildFlatPayload({ text: `at once ${nonce()}` });
		const both = await Promise.all([deliver(concurrent), deliver(concurrent)]);
		expect(both).toEqual([200, 200]);
		await env.rest.waitForExecutions(main.id, after + 1);
		await expectExecutionCountStays(env, main.id, after + 1);
	});

	test('across three n8n restarts: one registration, no API call but the one list call of each start on 1.x (checkExists), deliveries still run, and earlier deliveries stay duplicates', async () => {
		const mark = env.sandbox.calls.length;
		const first = buildFlatPayload({ text: `before restarts ${nonce()}` });
		const firstItem = await deliverAndExpectOneExecution(first);
		const seen: unknown[] = [first];
		await settleDuplicateWindow(String(firstItem.eventId));

		for (let restart = 1; restart <= 3; restart++) {
			const started = Date.now();
			const restartMark = env.sandbox.calls.length;
			await env.n8n.restart();
			env.timings[`restart${restart}`] = Date.now() - started;
			await env.rest.login(OWNER.email, OWNER.password);
			// 1.x runs checkExists for every active trigger at every start; 2.x trusts its database.
			const atStart = apiCallsSince(env.sandbox, restartMark);
			expect(atStart.map(isList)).toEqual(LINE.checksWebhooksAtEveryStart ? [true] : []);

			const registrations = registrationsAt(env.sandbox, main.url);
			expect(registrations.map((r) => r.id)).toEqual([main.registrationId]);

			// Everything delivered before this restart (and after the earlier ones) is a duplicate.
			const before = (await executions(env, main.id)).length;
			for (const payload of seen) {
				const reports = await env.sandbox.deliver(payload, { to: main.registrationId });
				expect(lastStatus(reports)).toBe(200);
				expect(reports[0].body).toContain('duplicate');
			}
			await expectExecutionCountStays(env, main.id, before, 1500);

			const fresh = buildFlatPayload({ text: `after restart ${restart} ${nonce()}` });
			const item = await deliverAndExpectOneExecution(fresh);
			expect(item).toMatchObject({
				message: { text: `${(fresh.last_messages as Array<{ content: string }>)[0].content}` },
			});
			seen.push(fresh);
			await settleDuplicateWindow(String(item.eventId));
		}
		const management = apiCallsSince(env.sandbox, mark).filter((c) => c.method !== 'GET');
		expect(management).toEqual([]);
	});

	testOn(LINE.publishes, '1.x re-registers when an active workflow is saved (the next test)')(
		'saving the published workflow (2.x) saves a draft: no call to WhatsAble, the registration and its secret stay',
		async () => {
			const mark = env.sandbox.calls.length;
			await saveMainWithAChange();
			await deliverAndExpectOneExecution(buildFlatPayload({ text: `draft saved ${nonce()}` }));
			expect(apiCallsSince(env.sandbox, mark)).toEqual([]);
			expect(registrationsAt(env.sandbox, main.url).map((r) => r.id)).toEqual([
				main.registrationId,
			]);
		},
	);

	testOn(
		LINE.savingActiveReregisters,
		'2.x saves a draft; the published version keeps its registration',
	)(
		'saving the active workflow re-registers it (1.x): its registration deleted, a new one created with a new id and secret; the old secret no longer accepted',
		async () => {
			const old = {
				id: main.registrationId,
				secret: env.sandbox.secretOf(main.registrationId) ?? '',
			};
			expect(old.secret).not.toBe('');
			const mark = env.sandbox.calls.length;
			await saveMainWithAChange();
			const writes = apiCallsSince(env.sandbox, mark).filter((c) => c.method !== 'GET');
			expect(writes.map((c) => [c.method, c.path.split('?')[0]])).toEqual([
				['DELETE', expect.stringMatching(new RegExp(`/webhook/dev/${old.id}$`))],
				['POST', expect.stringMatching(/\/webhook\/dev\/create$/)],
			]);
			const registrations = registrationsAt(env.sandbox, main.url);
			expect(registrations).toHaveLength(1);
			expect(registrations[0].id).not.toBe(old.id);
			main.registrationId = registrations[0].id;
			rememberSecretOf(main.registrationId);
			expect(env.sandbox.secretOf(main.registrationId)).not.toBe(old.secret);

			const before = (await executions(env, main.id)).length;
			const body = JSON.stringify(buildFlatPayload({ text: `old secret ${nonce()}` }));
			const stale = await httpRequest(main.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-webhook-signature': createHmac('sha256', old.secret).update(body).digest('hex'),
				},
				body,
			});
			expect(stale.status).toBe(401);
			await expectExecutionCountStays(env, main.id, before);
			await deliverAndExpectOneExecution(buildFlatPayload({ text: `saved ${nonce()}` }));
		},
	);

	test('unpublishing deletes our registration (and only it); publishing again registers anew without "Same webhook exist"', async () => {
		const bystander = env.sandbox.addRecord({
			webhooks: 'https://example.com/someone-elses-endpoint',
		});
		try {
			let mark = env.sandbox.calls.length;
			expect(await env.rest.deactivate(main.id)).toMatchObject({ status: 'not_published' });
			const calls = apiCallsSince(env.sandbox, mark).filter((c) => c.method !== 'GET');
			expect(calls.map((c) => [c.method, c.path.split('?')[0]])).toEqual([
				['DELETE', expect.stringMatching(new RegExp(`/webhook/dev/${main.registrationId}$`))],
			]);
			expect(isDeleteOf(calls[0], main.registrationId)).toBe(true);
			expect(registrationsAt(env.sandbox, main.url)).toEqual([]);
			expect(env.sandbox.records().map((r) => r.id)).toEqual([bystander.id]);
			// n8n no longer serves the URL either.
			const direct = await httpRequest(main.url, { method: 'POST', body: { hello: 'anyone?' } });
			expect(direct.status).toBe(404);

			mark = env.sandbox.calls.length;
			expect(await env.rest.activate(main.id)).toMatchObject({ status: 'published' });
			const republish = apiCallsSince(env.sandbox, mark);
			expect(republish.filter(isCreate)).toHaveLength(1);
			expect(republish.filter((c) => c.status >= 400)).toEqual([]);
			const registrations = registrationsAt(env.sandbox, main.url);
			expect(registrations).toHaveLength(1);
			expect(registrations[0].id).not.toBe(main.registrationId);
			main.registrationId = registrations[0].id;
			rememberSecretOf(main.registrationId);
			await deliverAndExpectOneExecution(buildFlatPayload({ text: `republished ${nonce()}` }));
		} finally {
			env.sandbox.deleteOutOfBand(bystander.id);
		}
	});

	test('a registration deleted out of band (in the dashboard) is registered again by the next publish', async () => {
		env.sandbox.deleteOutOfBand(main.registrationId);
		expect(registrationsAt(env.sandbox, main.url)).toEqual([]);

		const mark = env.sandbox.calls.length;
		expect(await env.rest.deactivate(main.id)).toMatchObject({ status: 'not_published' });
		expect(await env.rest.activate(main.id)).toMatchObject({ status: 'published' });
		expect(apiCallsSince(env.sandbox, mark).filter(isCreate)).toHaveLength(1);
		const registrations = registrationsAt(env.sandbox, main.url);
		expect(registrations).toHaveLength(1);
		main.registrationId = registrations[0].id;
		rememberSecretOf(main.registrationId);
		await deliverAndExpectOneExecution(buildFlatPayload({ text: `healed ${nonce()}` }));
	});

	test("HTTP 500s from WhatsAble's API during publish fail the publish, after retries, with a message naming WhatsAble's API, and leave no registration behind", async () => {
		const wf = triggerWorkflow({
			name: 'e2e: publish against a failing API',
			credential: env.credential,
			sinkUrl: env.sink.urlFor('faulty'),
			webhookBaseUrl: env.n8n.webhookUrl,
		});
		const created = await env.rest.createWorkflow(wf.json);
		workflowIds.add(created.id);
		const others = env.sandbox.records();

		env.sandbox.injectFault({
			method: 'POST',
			path: /\/webhook\/dev\/create$/,
			times: 1000,
			status: 500,
		});
		const mark = env.sandbox.calls.length;
		let publication;
		try {
			publication = await env.rest.activate(created.id);
		} finally {
			env.sandbox.clearFaults();
		}
		expect(publication.status).toBe('failed');
		expect(publication.triggers).toHaveLength(1);
		const message = publication.triggers[0].errorMessage ?? '';
		expect(message).toMatch(/WhatsAble/);
		expect(message).toMatch(/500/);
		const creates = apiCallsSince(env.sandbox, mark).filter(isCreate);
		expect(creates.length).toBeGreaterThanOrEqual(2);
		expect(creates.every((c) => c.status === 500)).toBe(true);
		expect(registrationsAt(env.sandbox, wf.url)).toEqual([]);
		expect(env.sandbox.records()).toEqual(others);
		const direct = await httpRequest(wf.url, { method: 'POST', body: {} });
		expect(direct.status).toBe(404);

		// Once the API is back, publishing works; unpublishing cleans up again.
		await env.rest.deactivate(created.id);
		expect(await env.rest.activate(created.id)).toMatchObject({ status: 'published' });
		const registrations = registrationsAt(env.sandbox, wf.url);
		expect(registrations).toHaveLength(1);
		rememberSecretOf(registrations[0].id);
		await env.rest.deactivate(created.id);
		expect(registrationsAt(env.sandbox, wf.url)).toEqual([]);
	});

	test('the WhatsAble Webhooks action node creates, gets, updates, lists and deletes a webhook in a manual run', async () => {
		const tag = nonce();
		const url = `https://example.com/e2e-action-${tag}`;
		const chain = manualChain('e2e: action node CRUD', [
			actionNode(
				'Create',
				env.credential,
				{ operation: 'create', url, events: ['incoming'], enabled: true, signDeliveries: false },
				[0, 0],
			),
			actionNode(
				'Get',
				env.credential,
				{ operation: 'get', webhookId: '={{ $json.id }}' },
				[250, 0],
			),
			actionNode(
				'Update',
				env.credential,
				{
					operation: 'update',
					webhookId: '={{ $json.id }}',
					updateFields: { enabled: false, events: ['incoming', 'outgoing'] },
				},
				[500, 0],
			),
			actionNode(
				'List',
				env.credential,
				{ operation: 'getAll', returnAll: true, filters: { urlContains: tag } },
				[750, 0],
			),
			actionNode(
				'Delete',
				env.credential,
				{ operation: 'delete', webhookId: "={{ $('Create').item.json.id }}" },
				[1000, 0],
			),
		]);
		const created = await env.rest.createWorkflow(chain);
		workflowIds.add(created.id);
		const mark = env.sandbox.calls.length;
		const run = await env.rest.runManually(created.id, {
			triggerToStartFrom: { name: 'Manual Trigger' },
		});
		expect(run.executionId).toEqual(expect.any(String));
		const [summary] = await env.rest.waitForExecutions(created.id, 1);
		const exec = await env.rest.getExecution(summary.id);
		expect(exec.status).toBe('success');

		const [made] = nodeOutput(exec, 'Create');
		expect(made).toMatchObject({
			url,
			enabled: true,
			incoming: true,
			outgoing: false,
			signed: false,
		});
		expect(made.id).toEqual(expect.any(Number));
		expect(nodeOutput(exec, 'Get')).toEqual([
			expect.objectContaining({ id: made.id, url, enabled: true }),
		]);
		expect(nodeOutput(exec, 'Update')).toEqual([
			expect.objectContaining({ id: made.id, enabled: false, outgoing: true }),
		]);
		expect(nodeOutput(exec, 'List')).toEqual([
			expect.objectContaining({ id: made.id, url, enabled: false }),
		]);
		expect(nodeOutput(exec, 'Delete')).toEqual([{ id: made.id, deleted: true }]);

		expect(registrationsAt(env.sandbox, url)).toEqual([]);
		const writes = apiCallsSince(env.sandbox, mark)
			.filter((c) => c.method !== 'GET')
			.map((c) => `${c.method} ${c.path.split('?')[0].replace(/^.*\/webhook\/dev/, '')}`);
		expect(writes).toEqual([
			'POST /create',
			`PATCH /${String(made.id)}`,
			`DELETE /${String(made.id)}`,
		]);
		const patch = apiCallsSince(env.sandbox, mark).find((c) => c.method === 'PATCH');
		expect(patch?.body).toMatchObject({
			webhooks: url,
			status: false,
			incoming: true,
			outgoing: true,
		});

		// A failing operation fails the execution with WhatsAble's reason.
		const failing = await env.rest.createWorkflow(
			manualChain('e2e: action node error', [
				actionNode('Get gone', env.credential, { operation: 'get', webhookId: made.id }, [0, 0]),
			]),
		);
		workflowIds.add(failing.id);
		await env.rest.runManually(failing.id, { triggerToStartFrom: { name: 'Manual Trigger' } });
		const [failed] = await env.rest.waitForExecutions(failing.id, 1);
		const failedExec = await env.rest.getExecution(failed.id);
		expect(failedExec.status).toBe('error');
		expect(failedExec.data.resultData?.error?.message ?? '').toBe(
			`Webhook ${made.id} is not in this WhatsAble account (could not get webhook ${made.id})`,
		);
	});

	const lastNodeSet = {
		id: randomUUID(),
		name: 'Respond',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [300, 0] as [number, number],
		parameters: {
			mode: 'raw',
			jsonOutput: '={{ JSON.stringify({ reply: "Last node for " + $json.contact.phone }) }}',
			options: {},
		},
	};

	test.each(
		[
			[
				'responseNode',
				1.1,
				{
					id: randomUUID(),
					name: 'Respond',
					type: 'n8n-nodes-base.respondToWebhook',
					// From 1.1 on, n8n's node refuses any trigger but its own ("No Webhook node found").
					typeVersion: 1,
					position: [300, 0] as [number, number],
					parameters: {
						respondWith: 'json',
						responseBody: '={{ JSON.stringify({ reply: "Thanks " + $json.contact.name }) }}',
						options: {},
					},
				},
				{ reply: 'Thanks Sarah Johnson' },
			],
			['lastNode', 1.1, lastNodeSet, { reply: 'Last node for 14155552671' }],
			// Version 1 (nodes saved before 1.1) keeps working the same way.
			['lastNode', 1, lastNodeSet, { reply: 'Last node for 14155552671' }],
		] as const,
	)(
		'Respond "%s": the delivery is answered with what the workflow produced (trigger version %s)',
		async (respond, typeVersion, node, expected) => {
			const wf = triggerWorkflow({
				name: `e2e: respond ${respond} v${typeVersion}`,
				credential: env.credential,
				sinkUrl: env.sink.urlFor(`respond-${respond}`),
				webhookBaseUrl: env.n8n.webhookUrl,
				parameters: { respond },
				typeVersion,
			});
			wf.json.nodes = [wf.json.nodes[0], node];
			wf.json.connections = {
				[TRIGGER_NODE]: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
			};
			const created = await env.rest.createWorkflow(wf.json);
			workflowIds.add(created.id);
			expect(await env.rest.activate(created.id)).toMatchObject({ status: 'published' });
			const [registration] = registrationsAt(env.sandbox, wf.url);
			rememberSecretOf(registration.id);
			const secret = env.sandbox.secretOf(registration.id) as string;
			const body = JSON.stringify(buildFlatPayload({ text: `respond ${nonce()}` }));
			const signature = createHmac('sha256', secret).update(body).digest('hex');
			const answer = await fetch(wf.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-webhook-signature': signature },
				body,
			});
			expect(answer.status).toBe(200);
			expect(await answer.json()).toEqual(expected);
			expect(await env.rest.deactivate(created.id)).toMatchObject({ status: 'not_published' });
			expect(registrationsAt(env.sandbox, wf.url)).toEqual([]);
		},
	);

	test('a redelivery re-snapshotted after the workflow answered (longer history, new bot answer, other labels) starts no second execution', async () => {
		const original = Buffer.from(JSON.stringify(buildFlatPayload({ text: `snapshot ${nonce()}` })));
		await deliverAndExpectOneExecution(original);
		const before = (await executions(env, main.id)).length;
		const redelivery = resnapshot(original, { now: new Date(), retry: 1 });
		expect(redelivery.equals(original)).toBe(false);
		const reports = await env.sandbox.deliver(redelivery, { to: main.registrationId });
		expect(lastStatus(reports)).toBe(200);
		expect(reports[0].body).toContain('duplicate');
		await expectExecutionCountStays(env, main.id, before);
	});

	test('email and password: the session expires while published; deliveries keep being verified, across a restart; the next API calls renew the session once; unpublish deletes exactly ours; republish works', async () => {
		const loginsBefore = env.sandbox.logins;
		env.sandbox.expireSessions();
		await deliverAndExpectOneExecution(buildFlatPayload({ text: `session expired ${nonce()}` }));
		await env.n8n.restart();
		await env.rest.login(OWNER.email, OWNER.password);
		await deliverAndExpectOneExecution(buildFlatPayload({ text: `expired, restarted ${nonce()}` }));

		const mark = env.sandbox.calls.length;
		expect(await env.rest.deactivate(main.id)).toMatchObject({ status: 'not_published' });
		const writes = apiCallsSince(env.sandbox, mark).filter((c) => c.method !== 'GET' && !c.path.includes('/auth/'));
		expect(writes.map((c) => [c.method, c.path.split('?')[0], c.status])).toEqual([
			['DELETE', expect.stringMatching(new RegExp(`/webhook/dev/${main.registrationId}$`)), 200],
		]);
		expect(registrationsAt(env.sandbox, main.url)).toEqual([]);
		expect(await env.rest.activate(main.id)).toMatchObject({ status: 'published' });
		const registrations = registrationsAt(env.sandbox, main.url);
		expect(registrations).toHaveLength(1);
		main.registrationId = registrations[0].id;
		rememberSecretOf(main.registrationId);
		// One 401, one renewal: on 1.x at the restart's checkExists, on 2.x at the unpublish.
		expect(env.sandbox.logins - loginsBefore).toBe(1);
		await deliverAndExpectOneExecution(buildFlatPayload({ text: `renewed ${nonce()}` }));

		// The action node (a manual run) renews the same way.
		env.sandbox.expireSessions();
		const list = await env.rest.createWorkflow(
			manualChain('e2e: list after the session expired', [
				actionNode('List', env.credential, { operation: 'getAll', returnAll: true }, [0, 0]),
			]),
		);
		workflowIds.add(list.id);
		const loginsBeforeRun = env.sandbox.logins;
		await env.rest.runManually(list.id, { triggerToStartFrom: { name: 'Manual Trigger' } });
		const [summary] = await env.rest.waitForExecutions(list.id, 1);
		expect((await env.rest.getExecution(summary.id)).status).toBe('success');
		expect(env.sandbox.logins - loginsBeforeRun).toBe(1);
	});

	test('a pasted session token replaced in the credential and the old one revoked, then a restart: no message lost (counted with the retrying sender)', async () => {
		const first = env.sandbox.login();
		pastedTokens.add(first);
		const credential = await env.rest.createCredential({
			name: `e2e: pasted token ${nonce()}`,
			type: CREDENTIAL_TYPE,
			data: { authentication: 'sessionToken', apiToken: first, baseUrl: env.sandbox.baseUrl, consoleOrigin: env.sandbox.origin ?? '' },
		});
		const wf = triggerWorkflow({
			name: 'e2e: pasted-token trigger',
			credential,
			sinkUrl: env.sink.urlFor('pasted'),
			webhookBaseUrl: env.n8n.webhookUrl,
		});
		const created = await env.rest.createWorkflow(wf.json);
		workflowIds.add(created.id);
		expect(await env.rest.activate(created.id)).toMatchObject({ status: 'published' });
		const [registration] = registrationsAt(env.sandbox, wf.url);
		rememberSecretOf(registration.id);

		const second = env.sandbox.login();
		pastedTokens.add(second);
		await env.rest.editCredential(credential.id, { apiToken: second });
		env.sandbox.revokeToken(first);
		await env.n8n.restart();
		await env.rest.login(OWNER.email, OWNER.password);

		const sent = 10;
		const reports = await Promise.all(
			Array.from({ length: sent }, (_, n) =>
				env.sandbox.deliver(buildFlatPayload({ text: `after rotation ${n} ${nonce()}` }), { to: registration.id, attempts: 3 }),
			),
		);
		const lost = reports.flat().filter((r) => !r.delivered);
		expect(lost).toEqual([]);
		const runs = await env.rest.waitForExecutions(created.id, sent);
		expect(runs).toHaveLength(sent);
		expect(await env.rest.deactivate(created.id)).toMatchObject({ status: 'not_published' });
		expect(registrationsAt(env.sandbox, wf.url)).toEqual([]);
	});

	test("the action node never deletes another account's webhook by id: the run fails naming the id, the webhook stays", async () => {
		const other = env.sandbox.addAccount({ email: `other-${nonce()}@sandbox.test`, password: 'Other-Pass-1!' });
		const foreign = env.sandbox.addRecord({ webhooks: `https://elsewhere.example/${nonce()}`, userId: other.userId });
		try {
			const chain = manualChain('e2e: delete a foreign id', [
				actionNode('Delete', env.credential, { operation: 'delete', webhookId: foreign.id }, [0, 0]),
			]);
			const created = await env.rest.createWorkflow(chain);
			workflowIds.add(created.id);
			await env.rest.runManually(created.id, { triggerToStartFrom: { name: 'Manual Trigger' } });
			const [summary] = await env.rest.waitForExecutions(created.id, 1);
			const exec = await env.rest.getExecution(summary.id);
			expect(exec.status).toBe('error');
			expect(exec.rawText).toContain(`Webhook ${foreign.id} is not in this WhatsAble account`);
			expect(env.sandbox.records().map((r) => r.id)).toContain(foreign.id);
		} finally {
			env.sandbox.deleteOutOfBand(foreign.id);
		}
	});

	test("neither the API token nor any signature secret appears in execution data, workflow exports (REST and CLI) or n8n's log", async () => {
		const secrets = [env.sandbox.token, env.sandbox.password, ...pastedTokens, ...secretsSeen];
		expect(secretsSeen.size).toBeGreaterThanOrEqual(1);
		const leaks: string[] = [];
		const scan = (where: string, text: string) => {
			secrets.forEach((secret, i) => {
				if (text.includes(secret))
					leaks.push(`secret #${i} (0: token, 1: password, then pasted tokens and signature secrets) in ${where}`);
			});
		};

		let scannedExecutions = 0;
		let sawMainEvents = false;
		for (const id of workflowIds) {
			scan(`GET /rest/workflows/${id}`, await env.rest.exportWorkflow(id));
			for (const summary of await executions(env, id)) {
				const exec = await env.rest.getExecution(summary.id);
				scan(`execution ${summary.id}`, exec.rawText);
				scannedExecutions++;
				if (id === main.id && exec.rawText.includes('evt_1nHs82jKla92mzP')) sawMainEvents = true;
			}
		}
		expect(scannedExecutions).toBeGreaterThanOrEqual(5);
		expect(sawMainEvents).toBe(true);
		for (const text of env.sink.records.map((r) => JSON.stringify(r.body))) scan('sink', text);

		const outDir = mkdtempSync(path.join(tmpdir(), 'whatsable-export-'));
		try {
			const workflowsFile = path.join(outDir, 'workflows.json');
			const wfExport = await runN8nCli(env.install, env.userFolder, [
				'export:workflow',
				'--all',
				`--output=${workflowsFile}`,
			]);
			expect(wfExport.code).toBe(0);
			const exported = readFileSync(workflowsFile, 'utf8');
			expect(exported).toContain(main.webhookId);
			scan('n8n export:workflow', exported);
			const credentialsFile = path.join(outDir, 'credentials.json');
			const credExport = await runN8nCli(env.install, env.userFolder, [
				'export:credentials',
				'--all',
				`--output=${credentialsFile}`,
			]);
			expect(credExport.code).toBe(0);
			scan('n8n export:credentials', readFileSync(credentialsFile, 'utf8'));
			scan(
				'export CLI output',
				wfExport.stdout + wfExport.stderr + credExport.stdout + credExport.stderr,
			);
		} finally {
			rmSync(outDir, { recursive: true, force: true });
		}

		await sleep(500);
		scan("n8n's output", env.n8n.logs);
		scan('n8n.log', readFileSync(path.join(env.userFolder, 'n8n.log'), 'utf8'));
		expect(leaks).toEqual([]);
	});
});
