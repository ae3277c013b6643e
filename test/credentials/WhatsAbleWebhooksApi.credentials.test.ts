import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { bearerTokenOf } from '../../nodes/shared/session';
import { sendCredentialTest } from '../support/credentialTest';
import { sandboxLogin, type TestCredentials } from '../support/n8nContext';

describe('credential type', () => {
	const type = new WhatsAbleWebhooksApi();
	let sandbox: WhatsAbleSandbox;
	beforeAll(async () => (sandbox = await WhatsAbleSandbox.start({ port: 0 })));
	afterAll(async () => sandbox.stop());

	const byName = () => Object.fromEntries(type.properties.map((p) => [p.name, p]));

	test('its name does not clash with the official WhatsAble package credentials', () => {
		for (const taken of [
			'whatsAbleApi',
			'whatsAbleNotifierApi',
			'whatsAbleNotifyerApi',
			'whatsAbleNotifyerSystemAllApi',
			'whatsAbleTriggerApi',
		]) {
			expect(type.name).not.toBe(taken);
		}
	});

	test('credentials saved before the choice existed (a token, no authentication) keep their token', () => {
		// n8n fills a missing value with the default and drops fields the choice hides.
		const fields = byName();
		expect(fields.apiToken.displayOptions?.show?.authentication).toContain(fields.authentication.default);
		const legacy = ['legacy', 'token', '123'].join('-');
		expect(bearerTokenOf({ apiToken: legacy })).toBe(legacy);
	});

	test('secrets are password fields and the session and sealing key are hidden', () => {
		const fields = byName();
		for (const name of ['apiToken', 'password', 'signatureSecret', 'session', 'sealingKey']) {
			expect(fields[name].typeOptions?.password).toBe(true);
		}
		expect(fields.session.type).toBe('hidden');
		expect(fields.session.typeOptions?.expirable).toBe(true);
		expect(fields.sealingKey.type).toBe('hidden');
	});

	async function statusOf(values: TestCredentials): Promise<number | string> {
		const answer = await sendCredentialTest(type, values);
		return 'status' in answer ? answer.status : answer.preAuthenticationError;
	}

	test('with a session token, the test lists the webhooks', async () => {
		const mark = sandbox.calls.length;
		const status = await statusOf({
			apiToken: sandbox.token,
			baseUrl: `${sandbox.baseUrl}/`,
			consoleOrigin: sandbox.origin ?? '',
		});
		expect(status).toBe(200);
		expect(sandbox.calls.slice(mark).map((c) => `${c.method} ${c.path}`)).toEqual([
			'GET /api:qh9OQ3OW/webhook/dev',
		]);
	});

	test('with email and password, the test logs in, then lists the webhooks with the new session', async () => {
		const mark = sandbox.calls.length;
		const status = await statusOf(sandboxLogin(sandbox));
		expect(status).toBe(200);
		const calls = sandbox.calls.slice(mark);
		expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
			'POST /api:-4GSCDHb/auth/login 200',
			'GET /api:qh9OQ3OW/webhook/dev 200',
		]);
		expect(JSON.stringify(calls)).not.toContain(sandbox.password);
	});

	test('a bad token fails with 401', async () => {
		expect(await statusOf({ apiToken: 'nope', baseUrl: sandbox.baseUrl, consoleOrigin: sandbox.origin ?? '' })).toBe(
			401,
		);
	});
});
