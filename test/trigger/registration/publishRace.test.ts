/**
 * A request that starts no execution (a flush, a duplicate) arriving while a publish registers
 * anew: n8n stored the webhook, create() wrote the record, but n8n has not saved it yet, so the
 * request's copy of static data lacks it. n8n saves such a request's writes as the whole column,
 * after the publish's save: writing that copy would erase the record and its sealed secret
 * (seen in the e2e suite: every delivery after the next restart answered 503).
 */
import type { IDataObject } from 'n8n-workflow';

import { WhatsAbleWebhooksTrigger } from '../../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { FLUSH_HEADER } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { flushProof } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/flushProof';
import { DedupeWindow, dedupeKey } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { WhatsAbleSandbox } from '../../../sandbox';
import { CredentialStore, makeHookContext } from '../../support/n8nContext';
import { forgetProcessSecrets, forgetProcessWindows } from '../../support/restart';
import { TriggerEndpoint } from '../../support/webhookServer';

const NODE_KEY = 'node:WhatsAble Trigger';
const SCOPE = 'wf-1:trigger-1:production';
const PARAMETERS = { events: ['incoming'], verifySignatures: true };

let sandbox: WhatsAbleSandbox;
let endpoint: TriggerEndpoint | undefined;

beforeEach(async () => {
	forgetProcessWindows();
	forgetProcessSecrets();
	sandbox = await WhatsAbleSandbox.start({ port: 0, delivery: { attempts: 1 } });
});
afterEach(async () => {
	await endpoint?.stop();
	endpoint = undefined;
	await sandbox.stop();
});

async function flush(store: CredentialStore, id: string) {
	const window = new DedupeWindow();
	window.checkAndRecord(dedupeKey(id), Date.now());
	const body = JSON.stringify({ seen: window.pack() });
	const proof = flushProof(String(store.data.sealingKey), SCOPE, body, Date.now());
	const res = await fetch(endpoint!.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [FLUSH_HEADER]: proof },
		body,
	});
	return (await res.json()) as IDataObject;
}

test("a flush whose copy predates the publish's save writes nothing; once the record is saved, flushes save again", async () => {
	const store = new CredentialStore({
		apiToken: sandbox.login(),
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
	});
	// As the unpublish before this publish left it: the record cleared.
	const unpublished = { [NODE_KEY]: { registrations: {} } };
	endpoint = await TriggerEndpoint.start({
		credentials: store,
		parameters: PARAMETERS,
		staticData: unpublished,
	});
	const nodeData: IDataObject = { registrations: {} };
	const ctx = makeHookContext({
		credentials: store,
		parameters: PARAMETERS,
		webhookUrl: endpoint.url,
		staticData: nodeData,
	});
	const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
	if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
	expect((nodeData.registrations as IDataObject).production).toBeDefined();

	// n8n has not saved the publish yet: the database still holds the copy without the record.
	const before = JSON.stringify(endpoint.saved);
	expect(await flush(store, 'during the publish')).toEqual({ status: 'unsaved' });
	expect(JSON.stringify(endpoint.saved)).toBe(before);

	// The publish's save lands; from then on flushes save, the record with them.
	endpoint.saved = { [NODE_KEY]: JSON.parse(JSON.stringify(nodeData)) as IDataObject };
	expect(await flush(store, 'after the publish')).toMatchObject({ status: 'flushed' });
	const saved = endpoint.saved[NODE_KEY] as IDataObject;
	expect((saved.registrations as IDataObject).production).toEqual(
		(nodeData.registrations as IDataObject).production,
	);
	expect(String(saved.seen)).toContain(dedupeKey('after the publish'));

	// A request that loaded its copy before the publish's save may run after fresher ones (a cold
	// expression isolate takes a while): its copy is still never written.
	const fresh = endpoint.saved;
	endpoint.saved = JSON.parse(JSON.stringify(unpublished)) as IDataObject;
	const stale = JSON.stringify(endpoint.saved);
	expect(await flush(store, 'a late stale copy')).toEqual({ status: 'unsaved' });
	expect(JSON.stringify(endpoint.saved)).toBe(stale);

	// Nor a copy still holding the record an earlier publish made (loaded before the unpublish).
	const production = (nodeData.registrations as IDataObject).production as IDataObject;
	const earlier = {
		[NODE_KEY]: {
			registrations: { production: { ...production, id: Number(production.id) + 1000 } },
		},
	};
	endpoint.saved = JSON.parse(JSON.stringify(earlier)) as IDataObject;
	expect(await flush(store, 'an earlier record')).toEqual({ status: 'unsaved' });
	expect(endpoint.saved).toEqual(earlier);
	endpoint.saved = fresh;
});
