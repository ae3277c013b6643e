import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { sendCredentialTest } from '../support/credentialTest';

describe('credential type', () => {
	const type = new WhatsAbleWebhooksApi();
	let sandbox: WhatsAbleSandbox;
	beforeAll(async () => (sandbox = await WhatsAbleSandbox.start({ port: 0 })));
	afterAll(async () => sandbox.stop());

	async function runCredentialTest(credentials: Record<string, string>): Promise<number> {
		return (await sendCredentialTest(type, credentials)).status;
	}

	test('its name does not clash with the official WhatsAble package credentials', () => {
		expect(type.name).toBe('whatsAbleWebhooksApi');
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

	test('fields: password token, base URL and origin defaults, optional password secret', () => {
		const byName = Object.fromEntries(type.properties.map((p) => [p.name, p]));
		expect(byName.apiToken.typeOptions?.password).toBe(true);
		expect(byName.baseUrl.default).toBe('https://api.insightssystem.com');
		expect(byName.consoleOrigin.default).toBe('https://console.notifyer-systems.com');
		expect(byName.signatureSecret.typeOptions?.password).toBe(true);
		expect(byName.signatureSecret.required).toBeFalsy();
	});

	test('the credential test lists the webhooks and passes with a good token', async () => {
		const status = await runCredentialTest({
			apiToken: sandbox.token,
			baseUrl: `${sandbox.baseUrl}/`,
			consoleOrigin: sandbox.origin ?? '',
		});
		expect(status).toBe(200);
		expect(sandbox.calls.at(-1)).toMatchObject({
			method: 'GET',
			path: '/api:qh9OQ3OW/webhook/dev',
		});
	});

	test('the credential test fails with a bad token', async () => {
		const status = await runCredentialTest({
			apiToken: 'nope',
			baseUrl: sandbox.baseUrl,
			consoleOrigin: sandbox.origin ?? '',
		});
		expect(status).toBe(401);
	});
});
