/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { createHmac } from 'node:crypto';

import { sleep, type IDataObject } from 'n8n-workflow';
import { request } from 'undici';

import { buildFlatPayload, WhatsAbleSandbox } from '../../sandbox';
import { packedEntries } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { forgetProcessWindows, settleFlushes } from '../support/restart';
import { ManualClock } from '../support/manualClock';
import { useBurstClock } from '../../nodes/WhatsAbleWebhooksTrigger/burst/store';
import { conversationItemSchema } from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { UNVERIFIABLE_REASON } from '../../nodes/WhatsAbleWebhooksTrigger/answers';
import { CredentialStore, makeHookContext } from '../support/n8nContext';
import { TriggerEndpoint } from '../support/webhookServer';

import { expectedItems, fixtureNames, readFixture } from '../../scripts/lib/fixtures';
const NODE_KEY = 'node:WhatsAble Trigger';

let sandbox: WhatsAbleSandbox;
/** The credential, shared by the hooks and the endpoint as n8n's database shares it. */
let creds: CredentialStore;
let endpoint: TriggerEndpoint;

beforeEach(async () => {
	forgetProcessWindows();
	sandbox = await WhatsAbleSandbox.start({ port: 0, delivery: { attempts: 1, baseDelayMs: 10 } });
	creds = new CredentialStore({
		apiToken: sandbox.token,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
	});
});
afterEach(async () => {
	await endpoint?.stop();
	await sandbox.stop();
});

/** Starts the trigger's endpoint and publishes it, as n8n does on publish. */
async function publishedTrigger(parameters: Record<string, unknown> = {}) {
	forgetProcessWindows(); // a new trigger: its duplicate window starts empty
	const params = { events: ['incoming', 'outgoing'], verifySignatures: true, ...parameters };
	endpoint = await TriggerEndpoint.start({
		credentials: creds,
		parameters: params,
		staticData: {},
	});
	const nodeData: IDataObject = {};
	const ctx = makeHookContext({
		credentials: creds,
		parameters: params,
		webhookUrl: endpoint.url,
		staticData: nodeData,
	});
	const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
	if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
	endpoint.saved = { [NODE_KEY]: nodeData };
	const id = sandbox.records()[0].id;
	return { id, secret: sandbox.secretOf(id) };
}

async function post(body: string, headers: Record<string, string> = {}, method = 'POST') {
	const res = await request(endpoint.url, {
		method: method as 'POST',
		body: method === 'GET' ? undefined : body,
		headers: { 'content-type': 'application/json', ...headers },
	});
	return { status: res.statusCode, body: (await res.body.json()) as IDataObject };
}

const hmac = (secret: string, body: string) =>
	createHmac('sha256', secret).update(body).digest('hex');

describe('trigger deliveries over real HTTP from the sandbox', () => {
	test.each(fixtureNames())(
		'signed fixture %s starts exactly one execution with its expected item',
		async (file) => {
			await publishedTrigger({ ignoreAutomatedOutgoing: true });
			const raw = readFixture(file).toString('utf8');
			const [report] = await sandbox.deliver(raw);
			expect(report.attempts.at(-1)?.status).toBe(200);
			expect(endpoint.executions).toHaveLength(1);
			const items = endpoint.executions[0].items;
			expect(items).toHaveLength(1);
			expect(conversationItemSchema.safeParse(items[0].json).success).toBe(true);
			// receivedAt is the receiving clock's; everything else is the sample's.
			const { receivedAt, ...item } = items[0].json;
			expect(Date.parse(String(receivedAt))).not.toBeNaN();
			expect([item]).toStrictEqual(expectedItems(file));
		},
	);

	test('both signature schemes and the sha256= prefix are accepted', async () => {
		await publishedTrigger();
		for (const scheme of ['hmac', 'secret', 'hmac-prefixed'] as const) {
			await sandbox.deliver(buildFlatPayload({ text: `via ${scheme}` }), { scheme });
		}
		expect(endpoint.executions.map((e) => (e.items[0].json.message as IDataObject).text)).toEqual([
			'via hmac',
			'via secret',
			'via hmac-prefixed',
		]);
	});

	test('missing, wrong and tampered signatures get 401 with a reason, start nothing and echo no secret', async () => {
		const { secret } = await publishedTrigger();
		const payload = buildFlatPayload({ text: 'hello' });
		const omitted = await sandbox.deliver(payload, { omitSignature: true });
		const wrong = await sandbox.deliver(payload, { signatureOverride: 'a'.repeat(64) });
		const tampered = await sandbox.deliver(payload, { tamperBody: true });
		for (const r of [omitted, wrong, tampered]) expect(r[0].attempts.at(-1)?.status).toBe(401);
		expect(endpoint.executions).toHaveLength(0);
		const reasons = endpoint.answers.map((a) => (a.body as IDataObject).reason);
		expect(reasons[0]).toMatch(/missing/i);
		expect(reasons[1]).toMatch(/does not match/i);
		expect(reasons[2]).toMatch(/does not match/i);
		const all = JSON.stringify(endpoint.answers) + endpoint.logger.lines.join('\n');
		expect(all).not.toContain(secret as string);
		expect(all).not.toContain('a'.repeat(64));
	});

	test('a pinned scheme refuses the other one', async () => {
		await publishedTrigger({ options: { signatureScheme: 'secret' } });
		const [r] = await sandbox.deliver(buildFlatPayload({ text: 'x' }), { scheme: 'hmac' });
		expect(r.attempts.at(-1)?.status).toBe(401);
		const [ok] = await sandbox.deliver(buildFlatPayload({ text: 'y' }), { scheme: 'secret' });
		expect(ok.attempts.at(-1)?.status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
	});

	test('with verification on and no secret anywhere every delivery is answered 503 (WhatsAble retries), with a clear reason', async () => {
		endpoint = await TriggerEndpoint.start({
			credentials: creds,
			parameters: { events: ['incoming'], verifySignatures: true },
			staticData: {},
		});
		const body = JSON.stringify(buildFlatPayload({ text: 'x' }));
		const res = await post(body, { 'x-webhook-signature': 'anything' });
		expect(res.status).toBe(503);
		expect(res.body).toEqual({ status: 'unverifiable', reason: UNVERIFIABLE_REASON });
		expect(endpoint.executions).toHaveLength(0);
	});

	test("the credential's signature secret verifies endpoints made by hand in the dashboard", async () => {
		const handMade = 'hand-made-secret-'.padEnd(171, 'x');
		endpoint = await TriggerEndpoint.start({
			credentials: { ...creds.data, signatureSecret: handMade },
			parameters: { events: ['incoming'], verifySignatures: true },
			staticData: {},
		});
		const body = JSON.stringify(buildFlatPayload({ text: 'by hand' }));
		expect((await post(body, { 'x-webhook-signature': hmac(handMade, body) })).status).toBe(200);
		expect((await post(body, { 'x-webhook-signature': hmac('other', body) })).status).toBe(401);
		expect(endpoint.executions).toHaveLength(1);
	});

	test('the same delivery twice starts one execution; the second gets 200 "duplicate"', async () => {
		await publishedTrigger();
		const raw = JSON.stringify(buildFlatPayload({ text: 'once' }));
		await sandbox.deliver(raw);
		await sandbox.deliver(raw);
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.answers.map((a) => [a.status, (a.body as IDataObject).status])).toEqual([
			[200, 'accepted'],
			[200, 'duplicate'],
		]);
	});

	test('the duplicate window survives a restart: the flush persists deliveries that ran', async () => {
		await publishedTrigger();
		const raw = JSON.stringify(buildFlatPayload({ text: 'before restart' }));
		await sandbox.deliver(raw);
		expect(endpoint.executions).toHaveLength(1);
		// The flush request (no execution) is what gets the window saved.
		const deadline = Date.now() + 5_000;
		while (!(endpoint.saved[NODE_KEY] as IDataObject).seen && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 25));
		}
		expect(packedEntries((endpoint.saved[NODE_KEY] as IDataObject).seen)).toHaveLength(1);
		forgetProcessWindows(); // n8n restarts: process memory is gone, static data remains
		await sandbox.deliver(raw);
		expect(endpoint.executions).toHaveLength(1);
		expect((endpoint.answers.at(-1)?.body as IDataObject).status).toBe('duplicate');
	});

	test('without the flush (memory lost and nothing saved) the window would forget: the flush is what holds', async () => {
		await publishedTrigger();
		const raw = JSON.stringify(buildFlatPayload({ text: 'lost' }));
		await sandbox.deliver(raw);
		const savedBeforeFlush = structuredClone(endpoint.saved);
		await settleFlushes(); // let the flush happen
		endpoint.saved = savedBeforeFlush; // as if the flush never reached n8n
		forgetProcessWindows();
		await sandbox.deliver(raw);
		expect(endpoint.executions).toHaveLength(2);
	});

	test('filters: message types, labels (any of), only human, and automated outgoing are answered 200 without execution', async () => {
		await publishedTrigger({
			filters: { messageTypes: ['text', 'image'], labels: 'vip, sales', onlyHuman: false },
			ignoreAutomatedOutgoing: true,
		});
		const cases: Array<[Record<string, unknown>, boolean]> = [
			[{ text: 'a', labels: ['sales'] }, true],
			[{ media: 'document', labels: ['sales'] }, false],
			[{ text: 'b', labels: ['other'] }, false],
			[{ text: 'c', labels: ['VIP'] }, true],
			[{ text: 'd', labels: ['vip'], outgoing: true, byHuman: false, sendBy: 'Bot Flow' }, false],
			[{ text: 'e', labels: ['vip'], outgoing: true, byHuman: true, sendBy: 'Ana' }, true],
		];
		for (const [opts] of cases) await sandbox.deliver(buildFlatPayload(opts));
		const statuses = endpoint.answers.map((a) => (a.body as IDataObject).status);
		expect(statuses).toEqual(cases.map(([, passes]) => (passes ? 'accepted' : 'filtered')));
		expect(endpoint.executions).toHaveLength(3);
	});

	test('only-human filter drops messages not written by a person', async () => {
		await publishedTrigger({ filters: { onlyHuman: true } });
		await sandbox.deliver(buildFlatPayload({ text: 'bot', outgoing: true, byHuman: false }));
		await sandbox.deliver(buildFlatPayload({ text: 'human', outgoing: true, byHuman: true }));
		expect(endpoint.executions.map((e) => (e.items[0].json.message as IDataObject).text)).toEqual([
			'human',
		]);
	});

	test('non-POST, non-JSON, empty and unparsable bodies get 405/415/400 with a reason and no execution', async () => {
		const { secret } = await publishedTrigger();
		const sign = (b: string) => ({ 'x-webhook-signature': hmac(secret as string, b) });
		expect((await post('{}', sign('{}'), 'PUT')).status).toBe(405);
		expect((await post('a=b', { ...sign('a=b'), 'content-type': 'text/plain' })).status).toBe(415);
		expect((await post('', sign(''))).status).toBe(400);
		const bad = await post('{"x":', sign('{"x":'));
		expect(bad.status).toBe(400);
		expect(String(bad.body.reason)).toMatch(/JSON/i);
		expect(endpoint.executions).toHaveLength(0);
	});

	test('a malformed but authentic delivery becomes a flagged item, never a crash', async () => {
		await publishedTrigger();
		await sandbox.deliver({ hello: 'world', nested: { deep: [1, 2, 3] } });
		await sandbox.deliver([1, 2, 3]);
		expect(endpoint.answers.every((a) => a.status < 500)).toBe(true);
		const first = endpoint.executions[0].items[0].json;
		expect(first.shape).toBe('unknown');
		expect(first.unknownShape).toBe(true);
	});

	test('History output gives one item per history message; Raw Body the body; Include Raw adds raw', async () => {
		await publishedTrigger({ output: 'history' });
		await sandbox.deliver(buildFlatPayload({ text: 'h', historyLength: 4 }));
		expect(endpoint.executions[0].items).toHaveLength(4);
		expect(endpoint.executions[0].items[0].json).toMatchObject({
			direction: 'incoming',
			role: expect.any(String),
		});
		await endpoint.stop();
		sandbox.deleteOutOfBand(sandbox.records()[0].id);

		await publishedTrigger({ output: 'raw' });
		const payload = buildFlatPayload({ text: 'raw' });
		await sandbox.deliver(payload);
		expect(endpoint.executions[0].items[0].json).toEqual(payload);
		await endpoint.stop();
		sandbox.deleteOutOfBand(sandbox.records()[0].id);

		await publishedTrigger({ options: { includeRawPayload: true } });
		await sandbox.deliver(payload);
		expect(endpoint.executions[0].items[0].json.raw).toEqual(payload);
	});
});

describe('pause while a human replies, over real HTTP', () => {
	const PHONE = '14155550142';
	const humanReply = () =>
		buildFlatPayload({
			phone: PHONE,
			outgoing: true,
			byHuman: true,
			text: `on it ${Math.random()}`,
		});
	const customer = (text: string) =>
		buildFlatPayload({ phone: PHONE, text: `${text} ${Math.random()}` });
	const answerOf = (report: { body: string }) => JSON.parse(report.body) as IDataObject;

	test("registers for outgoing messages too, pauses the contact on a teammate's reply, and the pause outlives a restart", async () => {
		await publishedTrigger({ events: ['incoming'], humanPause: true, humanPauseMinutes: 30 });
		expect(sandbox.records()[0]).toMatchObject({ incoming: true, outgoing: true });

		const before = Date.now();
		const [reply] = await sandbox.deliver(humanReply());
		expect(answerOf(reply)).toMatchObject({
			status: 'filtered',
			reason: 'outgoing messages are not selected',
		});
		const [paused] = await sandbox.deliver(customer('are you there?'));
		const answer = answerOf(paused);
		expect(answer.status).toBe('paused');
		const until = Date.parse(String(answer.until));
		expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
		expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000);

		forgetProcessWindows(); // a restart: only the saved static data remains
		const [afterRestart] = await sandbox.deliver(customer('still there?'));
		expect(answerOf(afterRestart)).toMatchObject({ status: 'paused', until: answer.until });
		const [other] = await sandbox.deliver(
			buildFlatPayload({ phone: '14155550999', text: 'hello' }),
		);
		expect(answerOf(other).status).toBe('accepted');
		expect(endpoint.executions).toHaveLength(1);
	});

	test("an automation's outgoing message pauses nothing", async () => {
		await publishedTrigger({ events: ['incoming', 'outgoing'], humanPause: true });
		const [automated] = await sandbox.deliver(
			buildFlatPayload({ phone: PHONE, outgoing: true, byHuman: false, sendBy: 'n8n' }),
		);
		expect(answerOf(automated).status).toBe('filtered');
		const [next] = await sandbox.deliver(customer('hi'));
		expect(answerOf(next).status).toBe('accepted');
	});

	test('"Run, Flagged" runs the paused message, its item valid and carrying pausedUntil', async () => {
		await publishedTrigger({ events: ['incoming'], humanPause: true, whilePaused: 'flag' });
		await sandbox.deliver(humanReply());
		const [flagged] = await sandbox.deliver(customer('hello?'));
		expect(answerOf(flagged).status).toBe('accepted');
		const [execution] = endpoint.executions;
		const item = conversationItemSchema.parse(execution.items[0].json);
		expect(Date.parse(String(item.pausedUntil))).toBeGreaterThan(Date.now());
	});

	test('with Events = outgoing too, the reply runs AND pauses; the flush saves the pause', async () => {
		await publishedTrigger({
			events: ['incoming', 'outgoing'],
			ignoreAutomatedOutgoing: true,
			humanPause: true,
		});
		const [reply] = await sandbox.deliver(humanReply());
		expect(answerOf(reply).status).toBe('accepted');
		await settleFlushes();
		const saved = endpoint.saved[NODE_KEY] as IDataObject;
		expect(String(saved.paused)).toContain(`${PHONE}:`);
		forgetProcessWindows();
		const [paused] = await sandbox.deliver(customer('and now?'));
		expect(answerOf(paused).status).toBe('paused');
	});
});

describe('wait for the contact to pause, over real HTTP (time injected)', () => {
	const PHONE = '14155550177';
	let clock: ManualClock;

	beforeEach(() => {
		clock = new ManualClock(Date.now());
		useBurstClock(clock);
	});
	afterEach(() => useBurstClock(undefined));

	async function until(check: () => boolean): Promise<void> {
		for (let i = 0; i < 500 && !check(); i++) await sleep(10);
		if (!check()) throw new Error('timed out');
	}

	/** Sends a signed delivery and waits until the trigger holds it; `answer` comes later. */
	async function sendHeld(secret: string | undefined, payload: Record<string, unknown>) {
		const body = JSON.stringify(payload);
		const before = clock.scheduled;
		const answer = post(body, { 'x-webhook-signature': hmac(secret ?? '', body) });
		await until(() => clock.scheduled > before);
		return { answer };
	}

	const message = (text: string) =>
		buildFlatPayload({ phone: PHONE, text: `${text} ${Math.random()}` });

	test('a burst of three is ONE execution holding the three in order; the others answer "combined" only after it; a 4th after the quiet time is a 2nd execution', async () => {
		const { secret } = await publishedTrigger({
			events: ['incoming'],
			combineBursts: true,
			quietSeconds: 3,
		});
		const texts = ['Hi', 'I want to order', 'a large pizza'];
		const answers = [];
		for (const text of texts) {
			answers.push((await sendHeld(secret, message(text))).answer);
			clock.advance(1_000);
		}
		expect(endpoint.answers).toHaveLength(0);
		clock.advance(2_000);
		const [a, b, c] = await Promise.all(answers);
		expect(endpoint.executions).toHaveLength(1);
		const item = conversationItemSchema.parse(endpoint.executions[0].items[0].json);
		expect(item.burst?.count).toBe(3);
		expect(item.burst?.text.split('\n').map((l) => l.replace(/ [\d.]+$/, ''))).toEqual(texts);
		expect(c.body).toEqual({
			status: 'accepted',
			eventIds: item.burst?.messages.map((m) => m.eventId),
		});
		for (const member of [a, b]) {
			expect(member.body).toMatchObject({ status: 'combined', carriedBy: item.eventId });
		}
		// The carrier was answered first: its execution was queued before any other got a 2xx.
		expect(endpoint.answers[0].body).toMatchObject({ status: 'accepted' });

		const fourth = await sendHeld(secret, message('and a cola'));
		clock.advance(3_000);
		expect((await fourth.answer).body.status).toBe('accepted');
		expect(endpoint.executions).toHaveLength(2);
		expect(conversationItemSchema.parse(endpoint.executions[1].items[0].json).burst?.count).toBe(1);
	});

	test('a redelivery inside a burst counts once; another contact has its own burst', async () => {
		const { secret } = await publishedTrigger({
			events: ['incoming'],
			combineBursts: true,
			quietSeconds: 2,
		});
		const first = message('first');
		const held = await sendHeld(secret, first);
		const body = JSON.stringify(first);
		expect(
			(await post(body, { 'x-webhook-signature': hmac(secret ?? '', body) })).body.status,
		).toBe('duplicate');
		const other = await sendHeld(secret, buildFlatPayload({ phone: '14155550999', text: 'other' }));
		clock.advance(2_000);
		await Promise.all([held.answer, other.answer]);
		expect(endpoint.executions).toHaveLength(2);
		for (const execution of endpoint.executions) {
			expect(conversationItemSchema.parse(execution.items[0].json).burst?.count).toBe(1);
		}
	});

	test('when n8n cannot start the burst\'s execution, the other held deliveries answer 503 "retry", and their resend is no duplicate', async () => {
		const parameters = {
			events: ['incoming'],
			verifySignatures: false,
			combineBursts: true,
			quietSeconds: 2,
		};
		endpoint = await TriggerEndpoint.start({
			credentials: creds,
			parameters,
			staticData: {},
			failExecutions: true,
		});
		const held = message('held');
		const carrier = message('carrier');
		const first = await sendHeld(undefined, held);
		const second = await sendHeld(undefined, carrier);
		clock.advance(2_000);
		expect((await second.answer).status).toBe(500);
		expect(await first.answer).toMatchObject({ status: 503, body: { status: 'retry' } });
		// Both are judged anew when resent (no "duplicate"): nothing ran.
		const resent = [await sendHeld(undefined, held), await sendHeld(undefined, carrier)];
		clock.advance(2_000);
		const answers = await Promise.all(resent.map((r) => r.answer));
		expect(answers.map((a) => a.status).sort()).toEqual([500, 503]);
	});

	test('a test listen (manual mode) combines a burst the same way', async () => {
		endpoint = await TriggerEndpoint.start({
			credentials: creds,
			parameters: {
				events: ['incoming'],
				verifySignatures: false,
				combineBursts: true,
				quietSeconds: 2,
			},
			staticData: {},
			mode: 'manual',
		});
		const first = await sendHeld(undefined, message('test one'));
		const second = await sendHeld(undefined, message('test two'));
		clock.advance(2_000);
		expect((await first.answer).body.status).toBe('combined');
		expect((await second.answer).body.status).toBe('accepted');
		expect(endpoint.executions).toHaveLength(1);
		expect(conversationItemSchema.parse(endpoint.executions[0].items[0].json).burst?.count).toBe(2);
	});

	test('with Respond "When Last Node Finishes" the option does nothing: no delivery is held', async () => {
		const { secret } = await publishedTrigger({
			events: ['incoming'],
			combineBursts: true,
			respond: 'lastNode',
		});
		const body = JSON.stringify(message('hello'));
		expect((await post(body, { 'x-webhook-signature': hmac(secret ?? '', body) })).status).toBe(
			200,
		);
		expect(clock.scheduled).toBe(0);
		expect(endpoint.executions[0].items[0].json).not.toHaveProperty('burst');
	});
});
