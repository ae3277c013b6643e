/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * What makes the duplicate window hold across n8n processes sharing one database (queue mode):
 * the persisted copy is merged on every request, a flush carries the sender's window and is
 * recognised by any process, and the flush stops where n8n is seen saving a run's static data.
 * Over real HTTP against the trigger's webhook() (test/support/webhookServer.ts); "another
 * process" is a window this process has never held.
 */
import type { IDataObject } from 'n8n-workflow';

import { DedupeWindow, dedupeKey, readPersisted, windowFor } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe';
import { FLUSH_DELAY_MS, FLUSH_HEADER, flushToken } from '../../nodes/WhatsAbleWebhooksTrigger/flush';
import { normalise } from '../../nodes/WhatsAbleWebhooksTrigger/payload/normalise';
import { buildFlatPayload } from '../../sandbox';
import { forgetProcessWindows, forgetRunWritesLearnt } from '../support/processState';
import { TriggerEndpoint } from '../support/webhookServer';

const API_TOKEN = 'sbx_cross-process-token';
const SCOPE = 'wf-1:trigger-1:production';
const NODE_KEY = 'node:WhatsAble Trigger';
const T0 = Date.UTC(2026, 0, 1);

let endpoint: TriggerEndpoint | undefined;

beforeEach(() => {
	forgetProcessWindows();
	forgetRunWritesLearnt();
});
afterEach(async () => {
	await endpoint?.stop();
	endpoint = undefined;
	forgetRunWritesLearnt();
});

async function start(verifySignatures: boolean, savesRunStaticData = false): Promise<TriggerEndpoint> {
	endpoint = await TriggerEndpoint.start({
		credentials: { apiToken: API_TOKEN, baseUrl: 'http://127.0.0.1:9' },
		parameters: { events: ['incoming', 'outgoing'], verifySignatures },
		staticData: {},
		savesRunStaticData,
	});
	return endpoint;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: res.status, body: (await res.json()) as IDataObject };
}

/** The packed window of "another process" that has seen `body`'s event. */
function otherProcessWindow(body: string): string {
	const [item] = normalise(JSON.parse(body), { rawBody: Buffer.from(body), receivedAt: new Date() }).items;
	const window = new DedupeWindow();
	window.checkAndRecord(dedupeKey(item.eventId), Date.now());
	return window.pack();
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
	test('is answered 200 "flushed", starts no execution, and saves the sender\'s window', async () => {
		const ep = await start(verifySignatures);
		const body = JSON.stringify(buildFlatPayload({ text: 'seen elsewhere' }));
		const flush = await post(ep.url, JSON.stringify({ seen: otherProcessWindow(body) }), {
			[FLUSH_HEADER]: flushToken(API_TOKEN, SCOPE),
		});
		expect(flush).toEqual({ status: 200, body: { status: 'flushed' } });
		expect(ep.executions).toHaveLength(0);
		expect(readPersisted(ep.saved[NODE_KEY] as IDataObject)).toHaveLength(1);
		if (!verifySignatures) {
			// The event the other process ran is a duplicate here, memory lost or not.
			forgetProcessWindows();
			expect((await post(ep.url, body)).body.status).toBe('duplicate');
			expect(ep.executions).toHaveLength(0);
		}
	});

	test('with an empty body is still a flush, never an execution or a 401', async () => {
		const ep = await start(verifySignatures);
		const flush = await post(ep.url, '{}', { [FLUSH_HEADER]: flushToken(API_TOKEN, SCOPE) });
		expect(flush).toEqual({ status: 200, body: { status: 'flushed' } });
		expect(ep.executions).toHaveLength(0);
	});
});

test('a flush header made with another API token is judged as a delivery (401 when verifying)', async () => {
	const ep = await start(true);
	const res = await post(ep.url, '{}', { [FLUSH_HEADER]: flushToken('sbx_outsider', SCOPE) });
	expect(res.status).toBe(401);
	expect(ep.executions).toHaveLength(0);
});

async function flushesAfter(ep: TriggerEndpoint, bodies: string[]): Promise<number> {
	const before = ep.flushes;
	for (const body of bodies) expect((await post(ep.url, body)).body.status).toBe('accepted');
	await new Promise((r) => setTimeout(r, FLUSH_DELAY_MS + 400));
	return ep.flushes - before;
}

const deliveries = (text: string, n: number) =>
	Array.from({ length: n }, (_, i) => JSON.stringify(buildFlatPayload({ text: `${text} ${i}` })));

test('where n8n drops a run\'s static data (2.41.1, both modes) every burst of runs is flushed', async () => {
	const ep = await start(false);
	expect(await flushesAfter(ep, deliveries('first', 2))).toBeGreaterThanOrEqual(1);
	expect(await flushesAfter(ep, deliveries('second', 2))).toBeGreaterThanOrEqual(1);
});

test('where n8n saves a run\'s static data, the process stops flushing once it reads its own mark', async () => {
	const ep = await start(false, true);
	await flushesAfter(ep, deliveries('first', 2)); // the second delivery read the first one's mark
	expect(await flushesAfter(ep, deliveries('second', 2))).toBe(0);
	expect(readPersisted(ep.saved[NODE_KEY] as IDataObject)).toHaveLength(4);
});
