import { WhatsAbleSandbox } from '../../sandbox';
import { WhatsAbleApiError } from '../../nodes/shared/apiError';
import type { RetryPolicy } from '../../nodes/shared/retry';
import {
	createWebhook,
	deleteWebhook,
	findWebhook,
	listWebhooks,
	updateWebhook,
} from '../../nodes/WhatsAbleWebhooks/actions/webhook/api';
import {
	makeExecuteContext,
	sandboxCredentials,
	type HttpCall,
	type TestCredentials,
} from '../support/n8nContext';
import { webhookSettings } from '../support/webhookSettings';

const FAST: RetryPolicy = {
	attempts: 3,
	baseDelayMs: 20,
	deadlineMs: 5_000,
	maxRetryAfterMs: 2_000,
};

let sandbox: WhatsAbleSandbox;
let creds: TestCredentials;

beforeEach(async () => {
	sandbox = await WhatsAbleSandbox.start({ port: 0 });
	// A trailing slash, as users paste it.
	creds = sandboxCredentials(sandbox, { baseUrl: `${sandbox.baseUrl}/` });
});
afterEach(async () => sandbox.stop());

function ctx(overrides: Partial<TestCredentials> = {}, calls?: HttpCall[]) {
	return makeExecuteContext({ credentials: { ...creds, ...overrides }, parameters: [{}], calls });
}

const settings = webhookSettings;

async function expectApiError(promise: Promise<unknown>): Promise<WhatsAbleApiError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(WhatsAbleApiError);
		return error as WhatsAbleApiError;
	}
	throw new Error('expected the call to fail');
}

describe('transport against the sandbox over HTTP', () => {
	test('create sends the documented body with bearer and origin, and returns the one-time secret', async () => {
		const calls: HttpCall[] = [];
		const record = await createWebhook(
			ctx({}, calls),
			settings('https://n8n.example.com/webhook/a'),
		);
		expect(record.id).toEqual(expect.any(Number));
		expect(record.webhooks).toBe('https://n8n.example.com/webhook/a');
		expect(record.signature_secret).toMatch(/^[A-Za-z0-9_-]{171}$/);
		const call = sandbox.calls.find((c) => c.method === 'POST');
		expect(call?.path).toBe('/api:qh9OQ3OW/webhook/dev/create');
		expect(call?.body).toEqual(settings('https://n8n.example.com/webhook/a'));
		expect(calls[0].headers.Authorization).toBe(`Bearer ${sandbox.token}`);
		expect(calls[0].headers.Origin).toBe(sandbox.origin);
		expect(calls[0].url).toBe(`${sandbox.baseUrl}/api:qh9OQ3OW/webhook/dev/create`);
	});

	test('list returns parsed records and never the secret again', async () => {
		const made = await createWebhook(ctx(), settings('https://x.test/1'));
		await createWebhook(ctx(), settings('https://x.test/2', { active_signature: false }));
		const records = await listWebhooks(ctx());
		expect(records.map((r) => r.webhooks).sort()).toEqual(['https://x.test/1', 'https://x.test/2']);
		expect(records.every((r) => r.signature_secret === null)).toBe(true);
		expect((await findWebhook(ctx(), made.id))?.webhooks).toBe('https://x.test/1');
		expect(await findWebhook(ctx(), 999_999)).toBeNull();
	});

	test('update fetches, merges and PATCHes the whole record', async () => {
		const made = await createWebhook(ctx(), settings('https://x.test/u'));
		const updated = await updateWebhook(ctx(), made.id, { outgoing: true });
		expect(updated.outgoing).toBe(true);
		const patch = sandbox.calls.find((c) => c.method === 'PATCH');
		expect(patch?.path).toBe(`/api:qh9OQ3OW/webhook/dev/${made.id}`);
		expect(patch?.body).toEqual(settings('https://x.test/u', { outgoing: true }));
	});

	test('delete removes the record; a 404 is "already gone" only when the caller accepts it', async () => {
		const made = await createWebhook(ctx(), settings('https://x.test/d'));
		expect(await deleteWebhook(ctx(), made.id)).toBe('deleted');
		expect(sandbox.records()).toHaveLength(0);
		expect(await deleteWebhook(ctx(), made.id, { allowMissing: true })).toBe('already-gone');
		const error = await expectApiError(deleteWebhook(ctx(), made.id));
		expect(error.kind).toBe('not-found');
	});

	test('401 says the session was refused and never contains the token', async () => {
		const wrong = ['wrong', 'token', '123456'].join('-');
		const error = await expectApiError(listWebhooks(ctx({ apiToken: wrong })));
		expect(error.kind).toBe('unauthorized');
		expect(error.message).toMatch(/refused the session \(401\)/);
		expect(`${error.message} ${error.description}`).not.toContain(wrong);
		expect(JSON.stringify(error)).not.toContain(wrong);
	});

	test('403 points at the origin setting', async () => {
		const error = await expectApiError(listWebhooks(ctx({ consoleOrigin: '' })));
		expect(error.kind).toBe('forbidden');
		expect(error.description).toMatch(/Console Origin Header/);
	});

	test('the duplicate URL 400 becomes its own error kind', async () => {
		await createWebhook(ctx(), settings('https://x.test/dup'));
		const error = await expectApiError(createWebhook(ctx(), settings('https://x.test/dup')));
		expect(error.kind).toBe('duplicate-url');
		expect(error.message).toMatch(/Same webhook exist/);
	});

	test('update of an unknown id is a not-found error', async () => {
		const error = await expectApiError(updateWebhook(ctx(), 4242, { status: false }));
		expect(error.kind).toBe('not-found');
	});

	test('5xx is retried with backoff and then succeeds', async () => {
		sandbox.injectFault({ method: 'GET', status: 503, times: 2 });
		const records = await listWebhooks(ctx(), FAST);
		expect(records).toEqual([]);
		expect(sandbox.calls.filter((c) => c.method === 'GET')).toHaveLength(3);
	});

	test('5xx past the retry budget fails with a server error after exactly the allowed tries', async () => {
		sandbox.injectFault({ method: 'GET', status: 500, times: 10 });
		const error = await expectApiError(listWebhooks(ctx(), FAST));
		expect(error.kind).toBe('server');
		expect(sandbox.calls.filter((c) => c.method === 'GET')).toHaveLength(3);
	});

	test('429 honours Retry-After before retrying', async () => {
		sandbox.injectFault({ method: 'GET', status: 429, retryAfter: 1, times: 1 });
		const started = Date.now();
		await listWebhooks(ctx(), FAST);
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(sandbox.calls.filter((c) => c.method === 'GET')).toHaveLength(2);
	});

	test('429 asking for longer than we wait fails at once as rate-limited', async () => {
		sandbox.injectFault({ method: 'GET', status: 429, retryAfter: 60, times: 1 });
		const error = await expectApiError(listWebhooks(ctx(), FAST));
		expect(error.kind).toBe('rate-limited');
		expect(sandbox.calls.filter((c) => c.method === 'GET')).toHaveLength(1);
	});

	test('4xx other than 429 is not retried', async () => {
		sandbox.injectFault({ method: 'GET', status: 400, body: { message: 'bad' }, times: 5 });
		const error = await expectApiError(listWebhooks(ctx(), FAST));
		expect(error.kind).toBe('bad-request');
		expect(sandbox.calls.filter((c) => c.method === 'GET')).toHaveLength(1);
	});

	test('a dropped connection is a network error after retries, naming no token', async () => {
		sandbox.injectFault({ method: 'GET', dropConnection: true, times: 10 });
		const error = await expectApiError(listWebhooks(ctx(), FAST));
		expect(error.kind).toBe('network');
		expect(error.message).toMatch(/Could not reach the WhatsAble API/);
		expect(JSON.stringify(error)).not.toContain(sandbox.token);
	});

	test('an unreachable base URL is a network error', async () => {
		const error = await expectApiError(listWebhooks(ctx({ baseUrl: 'http://127.0.0.1:1' }), FAST));
		expect(error.kind).toBe('network');
	});

	test('no error text in any failure mode contains the token', async () => {
		const failures: WhatsAbleApiError[] = [];
		for (const status of [400, 401, 403, 404, 429, 500]) {
			sandbox.clearFaults();
			// A 401 is sent once more with n8n's renewal armed, and once more after it renewed.
			sandbox.injectFault({ method: 'GET', status, times: status === 401 ? 3 : 1 });
			failures.push(await expectApiError(listWebhooks(ctx(), { ...FAST, attempts: 1 })));
		}
		for (const e of failures) {
			expect(`${e.message} ${e.description} ${JSON.stringify(e)}`).not.toContain(sandbox.token);
		}
		expect(failures.map((f) => f.kind)).toEqual([
			'bad-request',
			'unauthorized',
			'forbidden',
			'not-found',
			'rate-limited',
			'server',
		]);
	});
});
