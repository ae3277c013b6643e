/**
 * What makes the duplicate window hold across n8n processes sharing one database (queue mode):
 * the persisted copy is merged on every request, a flush carries the sender's window and is
 * recognised by any process, ids are saved only once their execution is queued, and a save that
 * another process's write hid is repaired.
 * Over real HTTP against the trigger's webhook() (test/support/webhookServer.ts); "another
 * process" is a window this process has never held.
 */
import { sleep, type IDataObject } from 'n8n-workflow';

import { DedupeWindow, dedupeKey, packedEntries, packedKeys } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { windowFor } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/store';
import { FLUSH_HEADER, flushTimings } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { flushProof } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';
import { PauseBook } from '../../../nodes/WhatsAbleWebhooksTrigger/pause/book';
import { normalise } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { buildFlatPayload } from '../../../sandbox';
import { hostileFlushes } from '../../support/hostileCorpus';
import { forgetProcessWindows, settleFlushes } from '../../support/restart';
import { TriggerEndpoint } from '../../support/webhookServer';

const API_TOKEN = 'sbx_cross-process-token';
const SCOPE = 'wf-1:trigger-1:production';
const NODE_KEY = 'node:WhatsAble Trigger';
const T0 = Date.UTC(2026, 0, 1);

let endpoint: TriggerEndpoint | undefined;

/**
 * The node's static data of a published trigger: its registration (a copy without one is never
 * written, see handler.ts), plus `extra`.
 */
function publishedNode(extra: IDataObject = {}): IDataObject {
	const registration = { id: 1, url: 'http://127.0.0.1:9/webhook/abc/webhook', sealedSecret: null, signed: false, registeredAt: new Date(T0).toISOString() };
	return { registrations: { production: registration }, ...extra };
}

beforeEach(() => {
	forgetProcessWindows();
});
afterEach(async () => {
	await endpoint?.stop();
	endpoint = undefined;
});

async function start(
	verifySignatures: boolean,
	staticData: IDataObject = {},
	parameters: Record<string, unknown> = {},
): Promise<TriggerEndpoint> {
	endpoint = await TriggerEndpoint.start({
		// A hand-made secret, so that verification has one (without, deliveries are answered 503).
		credentials: { apiToken: API_TOKEN, baseUrl: 'http://127.0.0.1:9', signatureSecret: 'a-hand-made-secret-for-cross-process' },
		parameters: { events: ['incoming', 'outgoing'], verifySignatures, ...parameters },
		staticData: { ...staticData, [NODE_KEY]: publishedNode(staticData[NODE_KEY] as IDataObject | undefined) },
	});
	return endpoint;
}

/** The proof the trigger itself would send with this flush body, now. */
const proofOf = (body: string) => flushProof(API_TOKEN, SCOPE, body, Date.now());

async function post(url: string, body: string, headers: Record<string, string> = {}) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: res.status, body: (await res.json()) as IDataObject };
}

function keyOf(body: string): string {
	const [item] = normalise(JSON.parse(body), { rawBody: Buffer.from(body), receivedAt: new Date() }).items;
	return dedupeKey(item.eventId);
}

/** The packed window of "another process" that has seen `body`'s event. */
function otherProcessWindow(body: string): string {
	const window = new DedupeWindow();
	window.checkAndRecord(keyOf(body), Date.now());
	return window.pack();
}

function savedKeys(ep: TriggerEndpoint): string[] {
	return packedKeys((ep.saved[NODE_KEY] as IDataObject | undefined)?.seen);
}

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

describe('the persisted window joins the process window on every request', () => {
	test('an id another process saved after this one built its window is a duplicate here', () => {
		const window = windowFor(SCOPE, {}, T0);
		expect(window.size).toBe(0);
		const other = new DedupeWindow();
		other.checkAndRecord('AAAAAAAAAAAAAAAA', T0 + 1);
		windowFor(SCOPE, { seen: other.pack() }, T0 + 2);
		expect(window.checkAndRecord('AAAAAAAAAAAAAAAA', T0 + 3)).toBe(false);
	});
});

describe.each([
	['on', true],
	['off', false],
])('a flush from another process, Verify Signatures %s', (_, verifySignatures) => {
	test('is answered 200 "flushed" with the ids the saved copy lacked, starts no execution, and saves the sender\'s window', async () => {
		const ep = await start(verifySignatures);
		const body = JSON.stringify(buildFlatPayload({ text: 'seen elsewhere' }));
		const flushBody = JSON.stringify({ seen: otherProcessWindow(body) });
		const flush = await post(ep.url, flushBody, { [FLUSH_HEADER]: proofOf(flushBody) });
		expect(flush).toEqual({ status: 200, body: { status: 'flushed', missing: [keyOf(body)] } });
		expect(ep.executions).toHaveLength(0);
		expect(packedEntries((ep.saved[NODE_KEY] as IDataObject).seen)).toHaveLength(1);
		if (!verifySignatures) {
			// The event the other process ran is a duplicate here, memory lost or not.
			forgetProcessWindows();
			expect((await post(ep.url, body)).body.status).toBe('duplicate');
			expect(ep.executions).toHaveLength(0);
		}
	});

	test('with an empty body is still a flush, never an execution or a 401', async () => {
		const ep = await start(verifySignatures);
		const flush = await post(ep.url, '{}', { [FLUSH_HEADER]: proofOf('{}') });
		expect(flush).toEqual({ status: 200, body: { status: 'flushed', missing: [] } });
		expect(ep.executions).toHaveLength(0);
	});
});

test("a flush from another process carries its human pauses: saved here, and the contact is paused here", async () => {
	const ep = await start(false, {}, { humanPause: true });
	const elsewhere = new PauseBook();
	const until = Date.now() + 10 * 60_000;
	elsewhere.pause('14155550142', until, Date.now());
	const flushBody = JSON.stringify({ seen: new DedupeWindow().pack(), paused: elsewhere.pack(Date.now()) });
	expect((await post(ep.url, flushBody, { [FLUSH_HEADER]: proofOf(flushBody) })).body.status).toBe('flushed');
	expect(String((ep.saved[NODE_KEY] as IDataObject).paused)).toContain('14155550142:');
	forgetProcessWindows();
	const incoming = JSON.stringify(buildFlatPayload({ phone: '14155550142', text: 'anyone?' }));
	expect((await post(ep.url, incoming)).body).toEqual({ status: 'paused', until: new Date(until).toISOString() });
	expect(ep.executions).toHaveLength(0);
});

test('a copy loaded while the workflow was being published (no registration yet) is never written back: a flush is answered "unsaved", to be sent again', async () => {
	const ep = await start(false);
	const publishing: IDataObject = { [NODE_KEY]: {} };
	ep.saved = publishing;
	const body = JSON.stringify(buildFlatPayload({ text: 'seen elsewhere' }));
	const flushBody = JSON.stringify({ seen: otherProcessWindow(body) });
	expect((await post(ep.url, flushBody, { [FLUSH_HEADER]: proofOf(flushBody) })).body).toEqual({ status: 'unsaved' });
	expect(await post(ep.url, body)).toMatchObject({ body: { status: 'duplicate' } });
	expect(ep.saved).toEqual({ [NODE_KEY]: {} });
	// Once the publish saved the registration, the next flush saves.
	ep.saved = { [NODE_KEY]: publishedNode() };
	const again = JSON.stringify({ seen: otherProcessWindow(body) });
	expect((await post(ep.url, again, { [FLUSH_HEADER]: proofOf(again) })).body.status).toBe('flushed');
	expect(savedKeys(ep)).toEqual([keyOf(body)]);
});

test('a flush header made with another key is judged as a delivery (401 when verifying)', async () => {
	const ep = await start(true);
	const res = await post(ep.url, '{}', { [FLUSH_HEADER]: flushProof('sbx_outsider', SCOPE, '{}', Date.now()) });
	expect(res.status).toBe(401);
	expect(ep.executions).toHaveLength(0);
});

/** A packed window holding `entries`, as an attacker would build one. */
function windowOf(entries: Array<[string, number]>): string {
	const window = new DedupeWindow();
	for (const [key, at] of entries) window.merge([[key, at]], at);
	return window.pack();
}

const hostileNames = hostileFlushes({ body: '', proof: '' }, API_TOKEN, SCOPE, windowOf, Date.now()).map((c) => [c.name]);

test.each(hostileNames)('a hostile flush changes nothing saved and starts nothing: %s', async (name) => {
	const ep = await start(true);
	const genuine = JSON.stringify({ seen: otherProcessWindow(JSON.stringify(buildFlatPayload({ text: 'genuine' }))) });
	const proof = proofOf(genuine);
	expect((await post(ep.url, genuine, { [FLUSH_HEADER]: proof })).body.status).toBe('flushed');
	const saved = JSON.stringify(ep.saved);
	const hostile = hostileFlushes({ body: genuine, proof }, API_TOKEN, SCOPE, windowOf, Date.now());
	const c = hostile.find((f) => f.name === name);
	if (!c) throw new Error(`no hostile flush named ${name}`);
	const res = await post(ep.url, c.body, { [FLUSH_HEADER]: c.header });
	if (c.expect === 'refused') expect(res.status).toBe(401);
	else expect(res.body).toEqual({ status: 'flushed', missing: [] });
	expect(JSON.stringify(ep.saved)).toBe(saved);
	expect(ep.executions).toHaveLength(0);
});

const deliveries = (text: string, n: number) =>
	Array.from({ length: n }, (_, i) => JSON.stringify(buildFlatPayload({ text: `${text} ${i}` })));

test('a burst of deliveries that ran is saved by the trigger\'s own flush, then confirmed once', async () => {
	const ep = await start(false);
	const bodies = deliveries('burst', 5);
	for (const body of bodies) expect((await post(ep.url, body)).body.status).toBe('accepted');
	await until('the burst to be saved', () => savedKeys(ep).length === 5);
	expect(savedKeys(ep).sort()).toEqual(bodies.map(keyOf).sort());
	await settleFlushes();
	// One flush saved the five (or two, had the burst straddled one), one more confirmed them.
	expect(ep.flushes).toBeGreaterThanOrEqual(2);
	expect(ep.flushes).toBeLessThanOrEqual(3);
	expect(ep.executions).toHaveLength(5);
});

test('an id is saved only after its execution had time to be queued: a kill before that cannot turn the retry into a "duplicate"', async () => {
	const ep = await start(false);
	const [first, second] = deliveries('settle', 2);
	expect((await post(ep.url, first)).body.status).toBe('accepted');
	await until('the first id to be saved', () => savedKeys(ep).length === 1);
	const sentAt = Date.now();
	expect((await post(ep.url, second)).body.status).toBe('accepted');
	// A duplicate right away makes n8n save static data: the second id is not in it yet.
	expect((await post(ep.url, first)).body.status).toBe('duplicate');
	expect(Date.now() - sentAt).toBeLessThan(flushTimings.settleMs);
	expect(savedKeys(ep)).toEqual([keyOf(first)]);
	await until('the second id to be saved', () => savedKeys(ep).includes(keyOf(second)));
	expect(Date.now() - sentAt).toBeGreaterThanOrEqual(flushTimings.settleMs);
});

test('a save that another process\'s write hid (whole column, last writer wins) is repaired by the confirming flush', async () => {
	const ep = await start(false);
	const body = deliveries('hidden', 1)[0];
	expect((await post(ep.url, body)).body.status).toBe('accepted');
	await until('the id to be saved', () => savedKeys(ep).length === 1);
	const flushesBefore = ep.flushes;
	// Another process, which loaded the column before that save, writes it back without the id.
	ep.saved = { [NODE_KEY]: publishedNode({ seen: new DedupeWindow().pack() }) };
	await until('the id to be saved again', () => savedKeys(ep).includes(keyOf(body)));
	expect(ep.flushes).toBeGreaterThan(flushesBefore);
	forgetProcessWindows(); // and so another process reading the column now sees it
	expect((await post(ep.url, body)).body.status).toBe('duplicate');
	expect(ep.executions).toHaveLength(1);
});

test('a delivery that starts an execution changes nothing in static data, even while released ids wait for their flush (n8n 1.x would save it and answer a Respond-to-Webhook run empty)', async () => {
	// As after a publish: the node's static data exists (n8n creates it on first read otherwise).
	const ep = await start(false, { [NODE_KEY]: {} });
	const bodies = deliveries('no run writes', 8);
	for (const body of bodies) {
		expect((await post(ep.url, body)).body.status).toBe('accepted');
		// Spaced so that later deliveries meet ids released but not yet saved, and saved ones.
		await sleep(flushTimings.settleMs / 2);
	}
	expect((await post(ep.url, bodies[0])).body.status).toBe('duplicate');
	await until('every id to be saved', () => savedKeys(ep).length === bodies.length);
	expect(ep.executions).toHaveLength(bodies.length);
	expect(ep.runWrites).toBe(0);
});
