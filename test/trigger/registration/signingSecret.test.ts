/**
 * Rotation never costs the signing secret: the trigger's secret is sealed under the credential's
 * sealing key, which a new session, a newly pasted token or a restart does not change. Over real
 * HTTP: the sandbox registers and signs, the trigger's webhook() runs in n8n-core's real context.
 */
import type { IDataObject } from 'n8n-workflow';

import { randomBytes } from 'node:crypto';

import { openSecret, sealSecret } from '../../../nodes/WhatsAbleWebhooksTrigger/registration/secretBox';
import { WhatsAbleWebhooksTrigger } from '../../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { UNVERIFIABLE_REASON } from '../../../nodes/WhatsAbleWebhooksTrigger/answers';
import { buildFlatPayload, WhatsAbleSandbox } from '../../../sandbox';
import { CredentialStore, makeHookContext, sandboxLogin, type TestCredentials } from '../../support/n8nContext';
import { forgetProcessSecrets, forgetProcessWindows, settleFlushes } from '../../support/restart';
import { TriggerEndpoint } from '../../support/webhookServer';

const NODE_KEY = 'node:WhatsAble Trigger';
/** A sealing key that is not the one the secret was sealed under (replaced by hand, another credential). */
const replacedKey = randomBytes(32).toString('base64url');
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

function tokenCredential(apiToken: string): TestCredentials {
	return { apiToken, baseUrl: sandbox.baseUrl, consoleOrigin: sandbox.origin ?? '' };
}

/** The trigger's endpoint, published as n8n does (checkExists, then create). */
async function publish(store: CredentialStore): Promise<void> {
	endpoint = await TriggerEndpoint.start({ credentials: store, parameters: PARAMETERS, staticData: {} });
	const nodeData: IDataObject = {};
	const ctx = makeHookContext({ credentials: store, parameters: PARAMETERS, webhookUrl: endpoint.url, staticData: nodeData });
	const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
	if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
	endpoint.saved = { [NODE_KEY]: nodeData };
}

/** An n8n restart: the process forgets what it held; the database (static data, credential) stays. */
function restart(): void {
	forgetProcessWindows();
	forgetProcessSecrets();
}

const stored = () =>
	((endpoint!.saved[NODE_KEY] as IDataObject).registrations as IDataObject).production as IDataObject;

async function deliverOne(text: string) {
	const [report] = await sandbox.deliver(buildFlatPayload({ text }));
	return report;
}

describe('the signing secret survives every rotation', () => {
	test('a pasted token replaced, the old one revoked, then a restart: signed deliveries still run', async () => {
		const first = sandbox.login();
		const store = new CredentialStore(tokenCredential(first));
		await publish(store);
		store.data = { ...store.data, apiToken: sandbox.login() };
		sandbox.revokeToken(first);
		restart();
		const report = await deliverOne('after rotation');
		expect(report.attempts.map((a) => a.status)).toEqual([200]);
		expect(endpoint!.executions).toHaveLength(1);
	});

	test('email and password: the session expires while published, then a restart: still verified', async () => {
		const store = new CredentialStore(sandboxLogin(sandbox));
		await publish(store);
		sandbox.expireSessions();
		expect((await deliverOne('while the session is expired')).delivered).toBe(true);
		restart();
		expect((await deliverOne('after a restart')).delivered).toBe(true);
		expect(endpoint!.executions).toHaveLength(2);
	});

	test('a secret sealed under the pasted token (earlier versions) opens, and the next flush moves it under the sealing key', async () => {
		const token = sandbox.login();
		const store = new CredentialStore(tokenCredential(token));
		await publish(store);
		const secret = sandbox.secretOf(sandbox.records()[0].id) as string;
		// As an earlier version left it: sealed under the token, no sealing key in the credential.
		stored().sealedSecret = sealSecret(secret, token);
		const sealingKey = store.data.sealingKey as string;
		store.data = { ...store.data, sealingKey: '' };
		restart();
		expect((await deliverOne('legacy sealed')).delivered).toBe(true);
		// The credential gets its key at its next renewal; the flush after the next delivery migrates.
		store.data = { ...store.data, sealingKey };
		expect((await deliverOne('key present')).delivered).toBe(true);
		await settleFlushes();
		expect(openSecret(String(stored().sealedSecret), sealingKey)).toBe(secret);
	});
});

describe('a secret that is truly gone never makes WhatsAble give up', () => {
	test('deliveries are answered 503 with Retry-After, start nothing, and the log says what to do once', async () => {
		const store = new CredentialStore(tokenCredential(sandbox.login()));
		await publish(store);
		// A sealing key replaced by hand (or the credential swapped): nothing opens the secret.
		store.data = { ...store.data, sealingKey: replacedKey, apiToken: 'x'.repeat(40) };
		restart();
		const reports = await Promise.all([1, 2, 3].map((n) => deliverOne(`lost ${n}`)));
		expect(reports.map((r) => r.attempts[0].status)).toEqual([503, 503, 503]);
		expect(endpoint!.executions).toHaveLength(0);
		const answer = endpoint!.answers[0];
		expect(answer.body).toEqual({ status: 'unverifiable', reason: UNVERIFIABLE_REASON });
		expect(answer.headers?.['retry-after']).toBe('60');
		const warnings = endpoint!.logger.lines.filter((l) => l.startsWith('warn') && l.includes('signing secret'));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('publish the workflow again');
	});

	test('an unsigned request to such a trigger is not a flood: same 503, still one log line', async () => {
		const store = new CredentialStore(tokenCredential(sandbox.login()));
		await publish(store);
		store.data = { ...store.data, sealingKey: replacedKey, apiToken: 'y'.repeat(40) };
		restart();
		for (let i = 0; i < 20; i++) {
			await fetch(endpoint!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		}
		expect(endpoint!.executions).toHaveLength(0);
		expect(endpoint!.logger.lines.filter((l) => l.startsWith('warn'))).toHaveLength(1);
	});

	test('the next publish heals it: a new registration, a new secret, deliveries run again', async () => {
		const store = new CredentialStore(tokenCredential(sandbox.login()));
		await publish(store);
		const firstId = sandbox.records()[0].id;
		store.data = { ...store.data, sealingKey: replacedKey };
		restart();
		const nodeData = endpoint!.saved[NODE_KEY] as IDataObject;
		const ctx = makeHookContext({ credentials: store, parameters: PARAMETERS, webhookUrl: endpoint!.url, staticData: nodeData });
		const methods = new WhatsAbleWebhooksTrigger().webhookMethods.default;
		if (!(await methods.checkExists.call(ctx))) await methods.create.call(ctx);
		expect(sandbox.records().map((r) => r.id)).not.toContain(firstId);
		expect(sandbox.records()).toHaveLength(1);
		expect((await deliverOne('healed')).delivered).toBe(true);
	});
});
