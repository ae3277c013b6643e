import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { n8nVerdict, sendCredentialTest } from '../support/credentialTest';

/* What the credential modal shows, for the sandbox's real answers, by n8n's rule order. */
describe('the credential test tells the user what to fix', () => {
	const type = new WhatsAbleWebhooksApi();
	let sandbox: WhatsAbleSandbox;
	beforeAll(async () => (sandbox = await WhatsAbleSandbox.start({ port: 0 })));
	afterAll(async () => sandbox.stop());

	const good = () => ({
		apiToken: sandbox.token,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
	});

	async function verdict(credentials: Record<string, string>) {
		return n8nVerdict(type.test, await sendCredentialTest(type, credentials));
	}

	test('a good token passes', async () => {
		expect(await verdict(good())).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('a wrong token (401) says the token is wrong or expired, never "Unauthorized"', async () => {
		const result = await verdict({ ...good(), apiToken: 'wrong-token-123' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API token \(401\): it is wrong or expired/);
		expect(result.message).not.toMatch(/^Unauthorized$/);
		expect(result.message).not.toContain('wrong-token-123');
	});

	test('a refused origin (403) points at Console Origin Header', async () => {
		const result = await verdict({ ...good(), consoleOrigin: 'https://elsewhere.example' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\(403\)/);
		expect(result.message).toContain('Console Origin Header');
		expect(result.message).not.toContain(sandbox.token);
	});
});
