import { WhatsAbleApiError } from '../../nodes/shared/apiError';
import { WhatsAbleSandbox } from '../../sandbox';
import { BAD_TOKEN, useActionNode } from '../support/actionNode';

const action = useActionNode();
const { runFailing } = action;

describe('API errors reach the user', () => {
	it('names the API token on 401', async () => {
		const error = await runFailing([{ operation: 'getAll', returnAll: true }], {
			credentials: { apiToken: BAD_TOKEN },
		});
		expect((error as WhatsAbleApiError).kind).toBe('unauthorized');
		expect(error.message).toBe(
			'WhatsAble refused the session (401) while trying to list the webhooks',
		);
		expect(error.description).toContain('Paste a fresh token into the WhatsAble Webhooks credential');
		expect(JSON.stringify({ m: error.message, d: error.description })).not.toContain(BAD_TOKEN);
	});

	it('points at the Origin header on 403', async () => {
		const error = await runFailing([{ operation: 'get', webhookId: 1 }], {
			credentials: { consoleOrigin: '' },
		});
		expect((error as WhatsAbleApiError).kind).toBe('forbidden');
		expect(error.message).toBe(
			"WhatsAble refused the request's origin (403) while trying to list the webhooks",
		);
		expect(error.description).toContain('Console Origin Header');
	});

	it('says the API cannot be reached when nothing listens', async () => {
		const closed = await WhatsAbleSandbox.start({ port: 0 });
		const deadUrl = closed.baseUrl;
		await closed.stop();
		const error = await runFailing([{ operation: 'getAll', returnAll: true }], {
			credentials: { baseUrl: deadUrl },
		});
		expect((error as WhatsAbleApiError).kind).toBe('network');
		// n8n rewrites messages naming ECONNREFUSED into its own wording; the advice survives.
		expect(error.description).toBe(
			'Check the API Base URL in the credential and that this n8n instance can reach it.',
		);
	});
});
