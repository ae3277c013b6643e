/**
 * The credential keeps its WhatsAble session valid through n8n's own mechanism: n8n-core's real
 * httpRequestWithAuthentication, and a credential store that saves what preAuthentication returns
 * (test/support/n8nContext.ts), against the sandbox's expiring sessions over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { WhatsAbleSandbox } from '../../sandbox';
import {
	CapturingLogger,
	CredentialStore,
	makeExecuteContext,
	makeHookContext,
	sandboxLogin,
} from '../support/n8nContext';

const URL = 'https://n8n.example.com/webhook/5f1c/webhook';

let sandbox: WhatsAbleSandbox;
let store: CredentialStore;

beforeEach(async () => {
	sandbox = await WhatsAbleSandbox.start({ port: 0 });
	store = new CredentialStore(sandboxLogin(sandbox));
});
afterEach(async () => sandbox.stop());

/** One webhook of the account, so that a successful list outputs an item. */
beforeEach(() => sandbox.addRecord({ webhooks: 'https://n8n.example.com/webhook/other/webhook' }));

const getMany = { resource: 'webhook', operation: 'getAll', returnAll: true };

async function listWithActionNode(logger?: CapturingLogger) {
	const ctx = makeExecuteContext({ credentials: store, parameters: [getMany], logger });
	return await new WhatsAbleWebhooks().execute.call(ctx);
}

const callsSince = (mark: number) =>
	sandbox.calls.slice(mark).map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`);

describe('email and password: the credential logs in and renews the session itself', () => {
	test('the first call logs in, and the session is kept for the next calls', async () => {
		await listWithActionNode();
		await listWithActionNode();
		expect(sandbox.logins).toBe(1);
		expect(callsSince(0)).toEqual([
			'POST /api:-4GSCDHb/auth/login 200',
			'GET /api:qh9OQ3OW/webhook/dev 200',
			'GET /api:qh9OQ3OW/webhook/dev 200',
		]);
		expect(store.data.session).toMatch(/\./);
		expect(store.data.sealingKey).toHaveLength(43);
	});

	test('an expired session costs one renewal, not a loop, and the call succeeds', async () => {
		await listWithActionNode();
		sandbox.expireSessions();
		const mark = sandbox.calls.length;
		const [[item]] = await listWithActionNode();
		expect(item).toBeDefined();
		expect(sandbox.logins).toBe(2);
		expect(callsSince(mark)).toEqual([
			'GET /api:qh9OQ3OW/webhook/dev 401',
			'GET /api:qh9OQ3OW/webhook/dev 401',
			'POST /api:-4GSCDHb/auth/login 200',
			'GET /api:qh9OQ3OW/webhook/dev 200',
		]);
		expect(store.preAuthentications).toEqual(['empty', 'expired']);
	});

	test('the registration hooks renew the same way (publish, then unpublish after expiry)', async () => {
		const staticData: IDataObject = {};
		const hooks = () => {
			const ctx = makeHookContext({
				credentials: store,
				parameters: { events: ['incoming'], verifySignatures: true },
				webhookUrl: URL,
				staticData,
			});
			const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
			return { ctx, methods };
		};
		const publish = hooks();
		if (!(await publish.methods.checkExists.call(publish.ctx))) await publish.methods.create.call(publish.ctx);
		const ours = () => sandbox.records().filter((r) => r.webhooks === URL);
		expect(ours()).toHaveLength(1);
		sandbox.expireSessions();
		const unpublish = hooks();
		await unpublish.methods.delete.call(unpublish.ctx);
		expect(ours()).toHaveLength(0);
		expect(sandbox.logins).toBe(2);
	});

	test('a new email or password in the credential is used at once: the old session is not', async () => {
		await listWithActionNode();
		const other = sandbox.addAccount({ email: 'second@sandbox.test', password: 'Second-Pass-1!' });
		store.data = { ...store.data, email: other.email, password: other.password };
		const mark = sandbox.calls.length;
		await listWithActionNode();
		expect(sandbox.logins).toBe(2);
		const login = sandbox.calls.slice(mark).find((c) => c.path.endsWith('/auth/login'));
		expect(login?.body).toMatchObject({ email: other.email });
	});

	test('a wrong password fails once with the login advice, and never shows the password', async () => {
		store.data = { ...store.data, password: 'Not-The-Password-9!' };
		const logger = new CapturingLogger();
		const error = await listWithActionNode(logger).then(
			() => undefined,
			(e: unknown) => e as Error & { description?: string },
		);
		expect(error?.message).toMatch(/refused the login/);
		expect(error?.description).toContain('email and password');
		const attempts = sandbox.calls.filter((c) => c.path.endsWith('/auth/login'));
		expect(attempts.length).toBeLessThanOrEqual(2);
		const everything = JSON.stringify([error, error?.message, error?.description, logger.lines, sandbox.calls]);
		expect(everything).not.toContain('Not-The-Password-9!');
		expect(everything).not.toContain(sandbox.password);
	});
});

describe('session token: a pasted token is used as it is', () => {
	test('a replaced token is used at once; an expired one says how to stop pasting tokens', async () => {
		const first = sandbox.login();
		store = new CredentialStore({ apiToken: first, baseUrl: sandbox.baseUrl, consoleOrigin: sandbox.origin ?? '' });
		await listWithActionNode();
		sandbox.expireSessions();
		const error = await listWithActionNode().then(
			() => undefined,
			(e: unknown) => e as Error & { description?: string },
		);
		expect(error?.message).toMatch(/refused the session \(401\)/);
		expect(error?.description).toContain('Email and Password');
		expect(JSON.stringify([error?.message, error?.description])).not.toContain(first);
		store.data = { ...store.data, apiToken: sandbox.login() };
		const [[item]] = await listWithActionNode();
		expect(item).toBeDefined();
		// The credential itself never logged in: it has no password.
		expect(sandbox.calls.filter((c) => c.path.endsWith('/auth/login'))).toEqual([]);
	});
});
