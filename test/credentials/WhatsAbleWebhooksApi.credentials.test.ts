/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: evaluates the credential's own expressions */
import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';

/**
 * Resolves the credential's n8n expressions ("={{ ... }}" and "=text {{ ... }}") against the
 * credential values, so the test request is the one n8n would send.
 */
function resolve(value: string, credentials: Record<string, string>): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_m, code: string) => {
		const evaluate = new Function('$credentials', `return (${code});`) as (c: unknown) => unknown;
		return String(evaluate(credentials));
	});
}

describe('credential type', () => {
	const type = new WhatsAbleWebhooksApi();
	let sandbox: WhatsAbleSandbox;
	beforeAll(async () => (sandbox = await WhatsAbleSandbox.start({ port: 0 })));
	afterAll(async () => sandbox.stop());

	async function runCredentialTest(credentials: Record<string, string>): Promise<number> {
		const request = type.test.request;
		const url = `${resolve(String(request.baseURL), credentials)}${request.url}`;
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(request.headers ?? {}))
			headers[k] = resolve(String(v), credentials);
		for (const [k, v] of Object.entries(type.authenticate.properties.headers ?? {})) {
			headers[k] = resolve(String(v), credentials);
		}
		const response = await fetch(url, { method: request.method ?? 'GET', headers });
		return response.status;
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
