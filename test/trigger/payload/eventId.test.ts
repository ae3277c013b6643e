/**
 * How a flat or legacy delivery's eventId (its duplicate key) is made: from the message, not the
 * bytes around it. Over real HTTP from the sandbox into the trigger's webhook() (n8n-core's real
 * context): what starts an execution and what is answered "duplicate".
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { DedupeWindow, dedupeKey } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { buildFlatPayload, resnapshot, signatureFor, WhatsAbleSandbox } from '../../../sandbox';
import { forgetProcessSecrets, forgetProcessWindows } from '../../support/restart';
import { TriggerEndpoint } from '../../support/webhookServer';

const NODE_KEY = 'node:WhatsAble Trigger';
const SECRET = 'a-hand-made-signature-secret-for-these-tests';
const SECOND = new Date('2026-12-01T10:00:00Z');

let sandbox: WhatsAbleSandbox;
let endpoint: TriggerEndpoint;

async function start(staticData: IDataObject = {}) {
	endpoint = await TriggerEndpoint.start({
		credentials: { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, signatureSecret: SECRET },
		parameters: { events: ['incoming', 'outgoing'], verifySignatures: true },
		staticData,
	});
	sandbox.addRecord({ webhooks: endpoint.url, active_signature: true, signature_secret: SECRET });
}

beforeEach(async () => {
	forgetProcessWindows();
	forgetProcessSecrets();
	sandbox = await WhatsAbleSandbox.start({ port: 0, delivery: { attempts: 1 } });
});
afterEach(async () => {
	await endpoint.stop();
	await sandbox.stop();
});

const statuses = () => endpoint.answers.map((a) => (a.body as IDataObject).status);

describe('a duplicate is the same message, whatever the snapshot around it', () => {
	test('a redelivery re-snapshotted after the bot answered starts no execution', async () => {
		await start();
		const first = Buffer.from(JSON.stringify(buildFlatPayload({ text: 'I want to order', now: SECOND })));
		const again = resnapshot(first, { now: new Date(SECOND.getTime() + 12_000), retry: 1 });
		expect(again.equals(first)).toBe(false);
		await sandbox.deliver(first);
		await sandbox.deliver(again);
		expect(endpoint.executions).toHaveLength(1);
		expect(statuses()).toEqual(['accepted', 'duplicate']);
	});

	test('an album of 5 images sent within one second starts 5 executions', async () => {
		await start();
		for (let n = 1; n <= 5; n++) {
			await sandbox.deliver(
				buildFlatPayload({ text: '', media: 'image', mediaUrl: `https://cdn.example/album/${n}.jpg`, now: SECOND }),
			);
		}
		expect(endpoint.executions).toHaveLength(5);
	});

	test('two different texts in the same second start 2', async () => {
		await start();
		await sandbox.deliver(buildFlatPayload({ text: 'yes', now: SECOND }));
		await sandbox.deliver(buildFlatPayload({ text: 'and a drink', now: SECOND }));
		expect(endpoint.executions).toHaveLength(2);
	});

	test('the same delivery as a legacy {event, data} wrapper gets the same eventId', async () => {
		await start();
		const flat = buildFlatPayload({ text: 'hello', now: SECOND }) as Record<string, unknown>;
		await sandbox.deliver(flat);
		await sandbox.deliver({ event: 'incoming_message', data: flat });
		expect(statuses()).toEqual(['accepted', 'duplicate']);
	});

	test('after an upgrade, a delivery an earlier version ran (keyed by its body hash) does not run again', async () => {
		const body = Buffer.from(JSON.stringify(buildFlatPayload({ text: 'ran before the upgrade', now: SECOND })));
		const earlier = new DedupeWindow();
		earlier.checkAndRecord(dedupeKey(`sha256:${createHash('sha256').update(body).digest('hex')}`), Date.now());
		await start({ [NODE_KEY]: { seen: earlier.pack() } });
		const res = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-webhook-signature': signatureFor(body, SECRET, 'hmac') },
			body,
		});
		expect(((await res.json()) as IDataObject).status).toBe('duplicate');
		expect(endpoint.executions).toHaveLength(0);
	});
});
