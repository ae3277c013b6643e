import type { IDataObject } from 'n8n-workflow';

import { WhatsAbleSandbox } from '../../../sandbox';
import { unreachableReason } from '../../../nodes/WhatsAbleWebhooksTrigger/registration/lifecycle';
import { WhatsAbleWebhooksTrigger } from '../../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import {
	CapturingLogger,
	CredentialStore,
	makeHookContext,
	sandboxCredentials,
	type CredentialsInput,
	type TestCredentials,
} from '../../support/n8nContext';
import { webhookSettings } from '../../support/webhookSettings';

const PROD_URL = 'https://n8n.example.com/webhook/5f1c/webhook';
const TEST_URL = 'https://n8n.example.com/webhook-test/5f1c/webhook';

let sandbox: WhatsAbleSandbox;
/** The credential as n8n's database keeps it: shared by every hook call, as in n8n. */
let store: CredentialStore;
/** Its values, for a test's own variant of the credential. */
let creds: TestCredentials;

beforeEach(async () => {
	sandbox = await WhatsAbleSandbox.start({ port: 0 });
	creds = sandboxCredentials(sandbox);
	store = new CredentialStore(creds);
});
afterEach(async () => sandbox.stop());

interface Instance {
	staticData: IDataObject;
	parameters?: Record<string, unknown>;
	url?: string;
	mode?: 'trigger' | 'manual';
	credentials?: CredentialsInput;
	logger?: CapturingLogger;
}

/** A fresh node object each time, as after an n8n restart; only static data carries over. */
function hooks(i: Instance) {
	const ctx = makeHookContext({
		credentials: i.credentials ?? store,
		parameters: i.parameters ?? { events: ['incoming'], verifySignatures: true },
		webhookUrl: i.url ?? PROD_URL,
		staticData: i.staticData,
		mode: i.mode,
		logger: i.logger,
	});
	const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
	return {
		checkExists: () => methods.checkExists.call(ctx),
		create: () => methods.create.call(ctx),
		delete: () => methods.delete.call(ctx),
		/** What n8n does on publish / test listen. */
		publish: async () => {
			if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
		},
	};
}

const mutations = () => sandbox.calls.filter((c) => c.method !== 'GET');
const registrations = (url = PROD_URL) => sandbox.records().filter((r) => r.webhooks === url);

describe('trigger registration lifecycle against the sandbox', () => {
	test('publish creates exactly one registration with the documented body and keeps id and sealed secret', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const creates = sandbox.calls.filter((c) => c.method === 'POST');
		expect(creates).toHaveLength(1);
		expect(creates[0].body).toEqual(webhookSettings(PROD_URL));
		const [record] = sandbox.records();
		const stored = (staticData.registrations as IDataObject).production as IDataObject;
		expect(stored.id).toBe(record.id);
		const secret = sandbox.secretOf(record.id) as string;
		expect(secret).toHaveLength(171);
		expect(JSON.stringify(staticData)).not.toContain(secret);
		expect(String(stored.sealedSecret)).toMatch(/^v1\./);
	});

	test('outgoing events, schedule activity and signing off are sent as chosen', async () => {
		await hooks({
			staticData: {},
			parameters: {
				events: ['incoming', 'outgoing'],
				verifySignatures: false,
				options: { scheduleActivity: true, waitingDuration: 1800 },
			},
		}).publish();
		expect(sandbox.calls.find((c) => c.method === 'POST')?.body).toMatchObject({
			incoming: true,
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 1800,
			active_signature: false,
		});
	});

	test('no event chosen fails with a clear message and creates nothing', async () => {
		await expect(hooks({ staticData: {}, parameters: { events: [] } }).publish()).rejects.toThrow(
			/at least one event/,
		);
		expect(sandbox.records()).toHaveLength(0);
	});

	test('restarts with the saved static data find the registration and change nothing', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		sandbox.clearCalls();
		for (let restart = 0; restart < 3; restart++) {
			expect(await hooks({ staticData }).checkExists()).toBe(true);
		}
		expect(mutations()).toHaveLength(0);
		expect(registrations()).toHaveLength(1);
	});

	test('republishing after unpublish works without "Same webhook exist"', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		await hooks({ staticData }).delete();
		expect(sandbox.records()).toHaveLength(0);
		expect(staticData.registrations).toEqual({});
		await hooks({ staticData }).publish();
		expect(registrations()).toHaveLength(1);
	});

	test('a registration deleted out of band is registered again on the next check', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const first = sandbox.records()[0].id;
		sandbox.deleteOutOfBand(first);
		await hooks({ staticData }).publish();
		const now = registrations();
		expect(now).toHaveLength(1);
		expect(now[0].id).not.toBe(first);
	});

	test('lost static data with signing on: the registration at our URL is replaced so we hold a secret', async () => {
		await hooks({ staticData: {} }).publish();
		const orphan = sandbox.records()[0].id;
		const fresh: IDataObject = {};
		await hooks({ staticData: fresh }).publish();
		const now = registrations();
		expect(now).toHaveLength(1);
		expect(now[0].id).not.toBe(orphan);
		expect(((fresh.registrations as IDataObject).production as IDataObject).id).toBe(now[0].id);
	});

	test('lost static data with signing off: the registration at our URL is adopted, not recreated', async () => {
		const parameters = { events: ['incoming'], verifySignatures: false };
		await hooks({ staticData: {}, parameters }).publish();
		const orphan = sandbox.records()[0].id;
		sandbox.clearCalls();
		const fresh: IDataObject = {};
		await hooks({ staticData: fresh, parameters }).publish();
		expect(mutations()).toHaveLength(0);
		expect(((fresh.registrations as IDataObject).production as IDataObject).id).toBe(orphan);
	});

	test('changed settings bring the one registration in line with a whole-record PATCH', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const id = sandbox.records()[0].id;
		sandbox.clearCalls();
		await hooks({
			staticData,
			parameters: { events: ['incoming', 'outgoing'], verifySignatures: true },
		}).publish();
		expect(mutations().map((c) => c.method)).toEqual(['PATCH']);
		expect(mutations()[0].body).toMatchObject({
			webhooks: PROD_URL,
			outgoing: true,
			active_signature: true,
		});
		expect(sandbox.records()).toEqual([expect.objectContaining({ id, outgoing: true })]);
	});

	test('a changed webhook URL moves our registration instead of leaving the old one behind', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const newUrl = 'https://new-host.example.com/webhook/5f1c/webhook';
		await hooks({ staticData, url: newUrl }).publish();
		expect(sandbox.records().map((r) => r.webhooks)).toEqual([newUrl]);
	});

	test('turning signing on for an unsigned registration replaces it to obtain a secret', async () => {
		const staticData: IDataObject = {};
		await hooks({
			staticData,
			parameters: { events: ['incoming'], verifySignatures: false },
		}).publish();
		const unsigned = sandbox.records()[0].id;
		await hooks({
			staticData,
			parameters: { events: ['incoming'], verifySignatures: true },
		}).publish();
		const now = registrations();
		expect(now).toHaveLength(1);
		expect(now[0].id).not.toBe(unsigned);
		expect(now[0].active_signature).toBe(true);
	});

	test('a new token in the credential keeps the secret: nothing is registered again', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const first = sandbox.records()[0].id;
		store.data = { ...store.data, apiToken: sandbox.login() };
		sandbox.clearCalls();
		expect(await hooks({ staticData }).checkExists()).toBe(true);
		expect(mutations()).toHaveLength(0);
		expect(registrations().map((r) => r.id)).toEqual([first]);
	});

	test('a sealed secret no key opens registers afresh', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		const first = sandbox.records()[0].id;
		const stored = (staticData.registrations as IDataObject).production as IDataObject;
		stored.sealedSecret = ['v1', 'AAAA', 'BBBB', 'CCCC'].join('.');
		await hooks({ staticData }).publish();
		expect(registrations()).toHaveLength(1);
		expect(registrations()[0].id).not.toBe(first);
	});

	test('a test listen registers beside production and removes only its own registration', async () => {
		const prod: IDataObject = {};
		await hooks({ staticData: prod }).publish();
		const prodId = sandbox.records()[0].id;
		const testListen = hooks({ staticData: prod, url: TEST_URL, mode: 'manual' });
		await testListen.publish();
		expect(
			sandbox
				.records()
				.map((r) => r.webhooks)
				.sort(),
		).toEqual([PROD_URL, TEST_URL].sort());
		await testListen.delete();
		expect(sandbox.records().map((r) => r.id)).toEqual([prodId]);
		expect(((prod.registrations as IDataObject).production as IDataObject).id).toBe(prodId);
	});

	test('a test listen whose static data never saw create still removes its registration, by URL', async () => {
		await hooks({ staticData: {}, url: TEST_URL, mode: 'manual' }).publish();
		await hooks({ staticData: {}, url: TEST_URL, mode: 'manual' }).delete();
		expect(sandbox.records()).toHaveLength(0);
	});

	test('a 404 on delete counts as done and clears our static data', async () => {
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		sandbox.deleteOutOfBand(sandbox.records()[0].id);
		expect(await hooks({ staticData }).delete()).toBe(true);
		expect(staticData.registrations).toEqual({});
	});

	test('registrations at other URLs are never touched by any step', async () => {
		const others = [
			sandbox.addRecord({ webhooks: 'https://crm.example.com/hook', active_signature: true }),
			sandbox.addRecord({ webhooks: 'https://n8n.example.com/webhook/other/webhook' }),
		];
		const before = JSON.stringify(sandbox.records().filter((r) => r.webhooks !== PROD_URL));
		const staticData: IDataObject = {};
		await hooks({ staticData }).publish();
		await hooks({
			staticData,
			parameters: { events: ['outgoing'], verifySignatures: true },
		}).publish();
		await hooks({ staticData: {} }).publish();
		await hooks({ staticData, url: TEST_URL, mode: 'manual' }).publish();
		await hooks({ staticData, url: TEST_URL, mode: 'manual' }).delete();
		await hooks({ staticData }).delete();
		const touched = sandbox.calls.filter((c) => others.some((o) => c.path.endsWith(`/${o.id}`)));
		expect(touched).toEqual([]);
		expect(JSON.stringify(sandbox.records())).toBe(before);
	});

	test('a bad token fails the publish with a message about the token and creates nothing', async () => {
		const wrongToken = ['not', 'the', 'token', '987'].join('-');
		const bad = { ...creds, apiToken: wrongToken };
		const error = await hooks({ staticData: {}, credentials: bad })
			.publish()
			.catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/refused the session \(401\)/);
		expect(String((error as Error).message)).not.toContain(wrongToken);
		expect(sandbox.records()).toHaveLength(0);
	});

	test('the origin refused fails the publish naming the origin setting', async () => {
		const error = await hooks({
			staticData: {},
			credentials: { ...creds, consoleOrigin: 'https://evil.example' },
		})
			.publish()
			.catch((e: Error & { description?: string }) => e);
		expect((error as Error & { description?: string }).description).toMatch(/Origin/);
		expect(sandbox.records()).toHaveLength(0);
	});

	test('the API failing with 500s during create fails the publish after retries and leaves no registration', async () => {
		sandbox.injectFault({ method: 'POST', status: 500, times: 10 });
		const staticData: IDataObject = {};
		const error = await hooks({ staticData })
			.publish()
			.catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/API failed \(500\).*create the webhook/);
		expect(sandbox.calls.filter((c) => c.method === 'POST')).toHaveLength(3);
		expect(sandbox.records()).toHaveLength(0);
		expect(staticData.registrations ?? {}).toEqual({});
	});

	test('a URL WhatsAble refuses fails the publish with its reason and leaves nothing', async () => {
		sandbox.injectFault({ method: 'POST', status: 400, body: { message: 'Invalid webhook url' } });
		const error = await hooks({ staticData: {} })
			.publish()
			.catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/Invalid webhook url/);
		expect(sandbox.records()).toHaveLength(0);
	});

	test('a create the API answered with "Same webhook exist" replaces the leftover at our URL', async () => {
		sandbox.addRecord({ webhooks: PROD_URL, active_signature: true });
		const staticData: IDataObject = {};
		// create without checkExists first, as when n8n's own state says the webhook is missing
		await hooks({ staticData }).create();
		expect(registrations()).toHaveLength(1);
		expect(((staticData.registrations as IDataObject).production as IDataObject).id).toBe(
			registrations()[0].id,
		);
	});

	test('nothing logged during the lifecycle contains the token or the secret', async () => {
		const logger = new CapturingLogger();
		const staticData: IDataObject = {};
		await hooks({ staticData, logger }).publish();
		await hooks({ staticData, logger }).delete();
		const secret = [...Array(5).keys()].map((i) => sandbox.secretOf(i + 1)).find(Boolean) ?? 'none';
		const all = logger.lines.join('\n');
		expect(all).not.toContain(sandbox.token);
		expect(all).not.toContain(secret);
	});
});

describe('webhook URLs WhatsAble cannot reach', () => {
	const LOCAL =
		'points at this machine or a private network (localhost, a private address or a local name)';
	test.each([
		['http://localhost:5678/webhook/a/webhook', LOCAL],
		['http://127.0.0.1:5678/webhook/a/webhook', LOCAL],
		['https://[::1]/webhook/a/webhook', LOCAL],
		['https://192.168.1.20/webhook/a/webhook', LOCAL],
		['https://n8n.internal/webhook/a/webhook', LOCAL],
		['http://n8n.example.com/webhook/a/webhook', 'is not HTTPS'],
		['https://n8n.example.com/webhook/a/webhook', null],
	])('%s → %s', (url, reason) => {
		expect(unreachableReason(url)).toBe(reason);
	});

	test('publishing at a localhost URL registers and logs a warning that names WEBHOOK_URL', async () => {
		const logger = new CapturingLogger();
		await hooks({
			staticData: {},
			url: 'http://localhost:5678/webhook/a/webhook',
			logger,
		}).publish();
		expect(sandbox.records()).toHaveLength(1);
		expect(logger.lines.join('\n')).toMatch(/warn .*localhost.*WEBHOOK_URL/);
	});
});

describe('endpoints made by hand in the dashboard', () => {
	test("with the credential's signature secret set, a signed endpoint at our URL is adopted and kept", async () => {
		const handMade = sandbox.addRecord({ webhooks: PROD_URL, active_signature: true });
		const withSecret = { ...creds, signatureSecret: sandbox.secretOf(handMade.id) as string };
		const staticData: IDataObject = {};
		await hooks({ staticData, credentials: withSecret }).publish();
		await hooks({ staticData, credentials: withSecret }).publish();
		expect(mutations()).toHaveLength(0);
		expect(((staticData.registrations as IDataObject).production as IDataObject).id).toBe(
			handMade.id,
		);
	});

	test('without a secret anywhere, a signed endpoint at our URL is replaced so we hold one', async () => {
		const handMade = sandbox.addRecord({ webhooks: PROD_URL, active_signature: true });
		await hooks({ staticData: {} }).publish();
		expect(registrations()).toHaveLength(1);
		expect(registrations()[0].id).not.toBe(handMade.id);
	});
});
