import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { n8nVerdict, sendCredentialTest } from '../support/credentialTest';
import { sandboxLogin, type TestCredentials } from '../support/n8nContext';

/* What the credential modal shows, for the sandbox's real answers, by n8n's rule order. */
describe('the credential test tells the user what to fix', () => {
	const type = new WhatsAbleWebhooksApi();
	let sandbox: WhatsAbleSandbox;
	beforeAll(async () => (sandbox = await WhatsAbleSandbox.start({ port: 0 })));
	afterAll(async () => sandbox.stop());

	const token = (): TestCredentials => ({
		apiToken: sandbox.token,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
	});
	const login = (): TestCredentials => sandboxLogin(sandbox);

	async function verdict(credentials: TestCredentials) {
		return n8nVerdict(type.test, await sendCredentialTest(type, credentials));
	}

	test('a good token passes, and so does a good login', async () => {
		expect(await verdict(token())).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await verdict(login())).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('a wrong or expired token (401) says it expires and how to stop pasting tokens', async () => {
		const result = await verdict({ ...token(), apiToken: 'wrong-token-123' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the session \(401\)/);
		expect(result.message).toContain('Email and Password');
		expect(result.message).not.toContain('wrong-token-123');
	});

	test('an expired session token says so', async () => {
		const expired = await sandbox.login();
		sandbox.expireSessions();
		const result = await verdict({ ...token(), apiToken: expired });
		expect(result.message).toMatch(/expired/);
	});

	test('a wrong password names the email and password, and never shows the password', async () => {
		const result = await verdict({ ...login(), password: 'Wrong-Password-1!' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused the login/);
		expect(result.message).toContain('Precondition failed');
		expect(result.message).not.toContain('Wrong-Password-1!');
	});

	test('a login without the console Origin says to keep the Origin header', async () => {
		const result = await verdict({ ...login(), consoleOrigin: '' });
		expect(result.message).toContain('Console Origin Header');
	});

	test('a refused origin (403) points at Console Origin Header', async () => {
		const result = await verdict({ ...token(), consoleOrigin: 'https://elsewhere.example' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/\(403\)/);
		expect(result.message).toContain('Console Origin Header');
		expect(result.message).not.toContain(sandbox.token);
	});

	test('a Team Member login (403 on webhooks) says webhooks need the owner', async () => {
		const member = sandbox.addAccount({ email: 'member@sandbox.test', password: 'Member-Pass-1!', role: 'Member' });
		const result = await verdict({ ...login(), email: member.email, password: member.password });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Team Member');
	});
});
