import {
	NodeApiError,
	NodeOperationError,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import codex from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node.json';
import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleApiError } from '../../nodes/shared/apiError';
import { SANDBOX_USER_ID, WhatsAbleSandbox, type RecordedCall } from '../../sandbox';
import { makeExecuteContext, type TestCredentials } from '../support/n8nContext';

const NOTE =
	"Shown once: WhatsAble never returns this secret again. Store it now (for example in the credential's Signature Secret).";
const BAD_TOKEN = 'dummy-wrong-token-7f3a9c1e5d';

let sandbox: WhatsAbleSandbox;

beforeEach(async () => {
	sandbox = await WhatsAbleSandbox.start({ port: 0 });
});

afterEach(async () => {
	await sandbox.stop();
});

function credentials(overrides: Partial<TestCredentials> = {}): TestCredentials {
	return {
		apiToken: sandbox.token,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
		...overrides,
	};
}

interface RunOptions {
	continueOnFail?: boolean;
	credentials?: Partial<TestCredentials>;
}

async function run(
	parameters: Array<Record<string, unknown>>,
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const ctx = makeExecuteContext({
		credentials: credentials(options.credentials),
		parameters: parameters.map((p) => ({ resource: 'webhook', ...p })),
		continueOnFail: options.continueOnFail,
	});
	const result = await new WhatsAbleWebhooks().execute.call(ctx);
	expect(result).toHaveLength(1);
	return result[0];
}

type NodeFailure = NodeApiError | NodeOperationError;

async function runFailing(
	parameters: Array<Record<string, unknown>>,
	options: RunOptions = {},
): Promise<NodeFailure> {
	try {
		await run(parameters, options);
	} catch (error) {
		expect(error instanceof NodeApiError || error instanceof NodeOperationError).toBe(true);
		return error as NodeFailure;
	}
	throw new Error('expected the node to fail');
}

function apiCalls(method?: string): RecordedCall[] {
	return sandbox.calls.filter((c) => method === undefined || c.method === method);
}

/** Every property, collection options included. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		const nested = (p.options ?? []).filter(
			(o): o is INodeProperties => typeof o === 'object' && o !== null && 'displayName' in o,
		);
		return [p, ...allProperties(nested)];
	});
}

const createParams = (url: string, extra: Record<string, unknown> = {}) => ({
	operation: 'create',
	url,
	events: ['incoming'],
	enabled: true,
	scheduleActivity: false,
	waitingDuration: 3600,
	signDeliveries: false,
	...extra,
});

describe('node description', () => {
	const description = new WhatsAbleWebhooks().description;

	it('is a regular, versioned node usable as an AI tool with the package credential', () => {
		expect(description.name).toBe('whatsAbleWebhooks');
		expect(description.displayName).toBe('WhatsAble Webhooks');
		expect(description.usableAsTool).toBe(true);
		expect(description.group).toEqual(['transform']);
		expect(description.version).toBe(1);
		expect(description.credentials).toEqual([{ name: 'whatsAbleWebhooksApi', required: true }]);
		expect(description.icon).toEqual({
			light: 'file:../../icons/whatsable.svg',
			dark: 'file:../../icons/whatsable.dark.svg',
		});
		expect(description.subtitle).toContain('$parameter["operation"]');
		expect(codex.node).toBe('n8n-nodes-whatsable-webhooks.whatsAbleWebhooks');
		expect(codex.categories).toEqual(['Communication', 'Development']);
	});

	it('describes every property so an AI agent can fill it', () => {
		const props = allProperties(description.properties);
		expect(props.length).toBeGreaterThan(15);
		for (const p of props) {
			expect({ name: p.name, description: (p.description ?? '').length > 10 }).toEqual({
				name: p.name,
				description: true,
			});
		}
	});

	it('offers the five webhook operations with action names', () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.options).toEqual([{ name: 'Webhook', value: 'webhook' }]);
		const operation = description.properties.find((p) => p.name === 'operation');
		expect(operation?.displayOptions?.show).toEqual({ resource: ['webhook'] });
		const options = (operation?.options ?? []) as Array<{ value: string; action?: string }>;
		expect(options.map((o) => [o.value, o.action])).toEqual([
			['create', 'Create a webhook'],
			['delete', 'Delete a webhook'],
			['get', 'Get a webhook'],
			['getAll', 'Get many webhooks'],
			['update', 'Update a webhook'],
		]);
	});

	it('shows each operation field only for its operation', () => {
		const byOperation = (op: string) =>
			description.properties
				.filter((p) => p.displayOptions?.show?.operation?.includes(op))
				.map((p) => p.name);
		expect(byOperation('create')).toEqual([
			'url',
			'events',
			'enabled',
			'scheduleActivity',
			'waitingDuration',
			'signDeliveries',
		]);
		expect(byOperation('get')).toEqual(['webhookId']);
		expect(byOperation('getAll')).toEqual(['returnAll', 'limit', 'filters']);
		expect(byOperation('update')).toEqual(['webhookId', 'updateFields']);
		expect(byOperation('delete')).toEqual(['webhookId', 'options']);
		for (const p of description.properties.filter((q) => q.displayOptions?.show?.operation)) {
			expect(p.displayOptions?.show?.resource).toEqual(['webhook']);
		}
		const waiting = description.properties.find((p) => p.name === 'waitingDuration');
		expect(waiting?.displayOptions?.show?.scheduleActivity).toEqual([true]);
	});
});

describe('create', () => {
	it('registers the webhook, sends the exact body and shows the secret once', async () => {
		const out = await run([
			createParams('https://example.com/hook', {
				events: ['incoming', 'outgoing'],
				scheduleActivity: true,
				waitingDuration: 1800,
				signDeliveries: true,
			}),
		]);

		const [post] = apiCalls('POST');
		expect(post.path).toBe('/api:qh9OQ3OW/webhook/dev/create');
		expect(post.headers.origin).toBe('https://console.notifyer-systems.com');
		expect(post.body).toEqual({
			webhooks: 'https://example.com/hook',
			status: true,
			incoming: true,
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 1800,
			active_signature: true,
		});
		const stored = sandbox.records()[0];
		const secret = sandbox.secretOf(stored.id);
		expect(secret).toHaveLength(171);
		expect(out).toEqual([
			{
				json: {
					id: stored.id,
					url: 'https://example.com/hook',
					enabled: true,
					incoming: true,
					outgoing: true,
					scheduleActivity: true,
					waitingDuration: 1800,
					signed: true,
					createdAt: new Date(stored.created_at).toISOString(),
					userId: SANDBOX_USER_ID,
					signatureSecret: secret,
					signatureSecretNote: NOTE,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends waiting_duration 0 when schedule activity is off and has no secret unsigned', async () => {
		const out = await run([
			createParams('https://example.com/quiet', {
				enabled: false,
				scheduleActivity: false,
				waitingDuration: 86400,
			}),
		]);
		expect(apiCalls('POST')[0].body).toEqual({
			webhooks: 'https://example.com/quiet',
			status: false,
			incoming: true,
			outgoing: false,
			schedule_activity: false,
			waiting_duration: 0,
			active_signature: false,
		});
		expect(out[0].json).toMatchObject({ enabled: false, scheduleActivity: false, signed: false });
		expect(out[0].json).not.toHaveProperty('signatureSecret');
		expect(out[0].json).not.toHaveProperty('signatureSecretNote');
	});

	it('creates one webhook per input item with that item’s values', async () => {
		const out = await run([
			createParams('https://a.example.com/1', { events: ['incoming'] }),
			createParams('https://b.example.com/2', { events: ['outgoing'], enabled: false }),
			createParams('https://c.example.com/3', {
				events: 'incoming, outgoing',
				scheduleActivity: true,
				waitingDuration: 60,
			}),
		]);
		expect(out.map((o) => [o.json.url, o.json.incoming, o.json.outgoing, o.json.enabled])).toEqual([
			['https://a.example.com/1', true, false, true],
			['https://b.example.com/2', false, true, false],
			['https://c.example.com/3', true, true, true],
		]);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[2].json.waitingDuration).toBe(60);
		expect(sandbox.records().map((r) => r.webhooks)).toEqual([
			'https://a.example.com/1',
			'https://b.example.com/2',
			'https://c.example.com/3',
		]);
	});

	it('refuses no events before calling the API', async () => {
		const error = await runFailing([createParams('https://example.com/x', { events: [] })]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Choose at least one event');
		expect(error.context.itemIndex).toBe(0);
		expect(sandbox.calls).toHaveLength(0);
	});

	it('refuses a URL that is not http(s) before calling the API', async () => {
		const error = await runFailing([createParams('ftp://example.com/x')]);
		expect(error.message).toBe('URL must be a full http:// or https:// address');
		expect(sandbox.calls).toHaveLength(0);
	});

	it('explains a duplicate URL (400 "Same webhook exist")', async () => {
		sandbox.addRecord({ webhooks: 'https://example.com/taken' });
		const error = await runFailing([createParams('https://example.com/taken')]);
		expect(error).toBeInstanceOf(WhatsAbleApiError);
		expect((error as WhatsAbleApiError).kind).toBe('duplicate-url');
		expect(error.message).toBe(
			'This URL is already registered with WhatsAble ("Same webhook exist") while trying to create the webhook',
		);
		expect((error as NodeApiError).httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(0);
	});

	it('retries a burst of 500s and then succeeds', async () => {
		sandbox.injectFault({ method: 'POST', path: '/webhook/dev/create', times: 2, status: 500 });
		const out = await run([createParams('https://example.com/flaky')]);
		expect(apiCalls('POST').map((c) => c.status)).toEqual([500, 500, 200]);
		expect(out[0].json.url).toBe('https://example.com/flaky');
		expect(sandbox.records()).toHaveLength(1);
	});

	it('gives up after repeated 500s with a server error', async () => {
		sandbox.injectFault({ method: 'POST', times: 10, status: 503 });
		const error = await runFailing([createParams('https://example.com/down')]);
		expect((error as WhatsAbleApiError).kind).toBe('server');
		expect(error.message).toBe("WhatsAble's API failed (503) while trying to create the webhook");
		expect(apiCalls('POST')).toHaveLength(3);
	});

	it('waits out a 429 and then succeeds', async () => {
		sandbox.injectFault({ method: 'POST', times: 1, status: 429, retryAfter: 0 });
		const out = await run([createParams('https://example.com/busy')]);
		expect(apiCalls('POST').map((c) => c.status)).toEqual([429, 200]);
		expect(out[0].json.url).toBe('https://example.com/busy');
	});
});

describe('API errors reach the user', () => {
	it('names the API token on 401', async () => {
		const error = await runFailing([{ operation: 'getAll', returnAll: true }], {
			credentials: { apiToken: BAD_TOKEN },
		});
		expect((error as WhatsAbleApiError).kind).toBe('unauthorized');
		expect(error.message).toBe(
			'WhatsAble refused the API token (401) while trying to list the webhooks',
		);
		expect(error.description).toContain('API Token in the WhatsAble Webhooks credential');
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

describe('get', () => {
	it('finds one webhook by id and never shows its secret', async () => {
		sandbox.addRecord({ webhooks: 'https://example.com/one' });
		const second = sandbox.addRecord({
			webhooks: 'https://example.com/two',
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 3600,
			active_signature: true,
			created_at: Date.UTC(2025, 0, 2, 3, 4, 5),
		});
		const out = await run([{ operation: 'get', webhookId: second.id }]);
		expect(out).toEqual([
			{
				json: {
					id: second.id,
					url: 'https://example.com/two',
					enabled: true,
					incoming: true,
					outgoing: true,
					scheduleActivity: true,
					waitingDuration: 3600,
					signed: true,
					createdAt: '2025-01-02T03:04:05.000Z',
					userId: SANDBOX_USER_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
			'GET /api:qh9OQ3OW/webhook/dev',
		]);
	});

	it('accepts the id as text from an expression', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/text-id' });
		const out = await run([{ operation: 'get', webhookId: String(record.id) }]);
		expect(out[0].json.id).toBe(record.id);
	});

	it('reports an unknown id and hints at Get Many', async () => {
		sandbox.addRecord({ webhooks: 'https://example.com/one' });
		const error = await runFailing([{ operation: 'get', webhookId: 99 }]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Webhook 99 not found');
		expect(error.description).toContain('Get Many');
		expect(error.context.itemIndex).toBe(0);
	});

	it('rejects an id that is not a positive whole number', async () => {
		const error = await runFailing([{ operation: 'get', webhookId: 0 }]);
		expect(error.message).toBe('Webhook ID must be a positive whole number');
		expect(sandbox.calls).toHaveLength(0);
	});
});

describe('get many', () => {
	beforeEach(() => {
		sandbox.addRecord({ webhooks: 'https://alpha.example.com/1' });
		sandbox.addRecord({ webhooks: 'https://beta.example.com/2', status: false });
		sandbox.addRecord({ webhooks: 'https://ALPHA.example.com/3', status: false });
		sandbox.addRecord({ webhooks: 'https://gamma.example.com/4' });
		sandbox.addRecord({ webhooks: 'https://alpha.example.com/5' });
	});

	const urls = (out: INodeExecutionData[]) => out.map((o) => o.json.url);

	it('returns up to the limit', async () => {
		const out = await run([{ operation: 'getAll', returnAll: false, limit: 2 }]);
		expect(urls(out)).toEqual(['https://alpha.example.com/1', 'https://beta.example.com/2']);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('returns everything with Return All, ignoring the limit', async () => {
		const out = await run([{ operation: 'getAll', returnAll: true, limit: 1 }]);
		expect(out.map((o) => o.json.id)).toEqual([1, 2, 3, 4, 5]);
	});

	it('filters by URL text (case-insensitive) and enabled state before the limit', async () => {
		const alpha = await run([
			{ operation: 'getAll', returnAll: true, filters: { urlContains: 'alpha' } },
		]);
		expect(urls(alpha)).toEqual([
			'https://alpha.example.com/1',
			'https://ALPHA.example.com/3',
			'https://alpha.example.com/5',
		]);
		const disabled = await run([
			{ operation: 'getAll', returnAll: true, filters: { enabled: 'disabled' } },
		]);
		expect(urls(disabled)).toEqual(['https://beta.example.com/2', 'https://ALPHA.example.com/3']);
		const enabledAlpha = await run([
			{
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				filters: { urlContains: 'ALPHA', enabled: 'enabled' },
			},
		]);
		expect(urls(enabledAlpha)).toEqual(['https://alpha.example.com/1']);
		const any = await run([{ operation: 'getAll', returnAll: true, filters: { enabled: 'any' } }]);
		expect(any).toHaveLength(5);
	});

	it('pairs each item’s results with that item', async () => {
		const out = await run([
			{ operation: 'getAll', returnAll: false, limit: 1 },
			{ operation: 'getAll', returnAll: false, limit: 2, filters: { urlContains: 'gamma' } },
		]);
		expect(out.map((o) => [o.json.url, o.pairedItem])).toEqual([
			['https://alpha.example.com/1', { item: 0 }],
			['https://gamma.example.com/4', { item: 1 }],
		]);
	});
});

describe('update', () => {
	it('changes only the fields set and PATCHes the whole merged record', async () => {
		const record = sandbox.addRecord({
			webhooks: 'https://example.com/u',
			incoming: true,
			outgoing: false,
			schedule_activity: true,
			waiting_duration: 60,
		});
		const out = await run([
			{
				operation: 'update',
				webhookId: record.id,
				updateFields: { enabled: false, events: ['outgoing'] },
			},
		]);
		const patch = apiCalls('PATCH');
		expect(patch).toHaveLength(1);
		expect(patch[0].path).toBe(`/api:qh9OQ3OW/webhook/dev/${record.id}`);
		expect(patch[0].body).toEqual({
			webhooks: 'https://example.com/u',
			status: false,
			incoming: false,
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 60,
			active_signature: false,
		});
		expect(out).toEqual([
			{
				json: {
					id: record.id,
					url: 'https://example.com/u',
					enabled: false,
					incoming: false,
					outgoing: true,
					scheduleActivity: true,
					waitingDuration: 60,
					signed: false,
					createdAt: new Date(record.created_at).toISOString(),
					userId: SANDBOX_USER_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('surfaces the secret when signing is turned on', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/sign' });
		const out = await run([
			{ operation: 'update', webhookId: record.id, updateFields: { signDeliveries: true } },
		]);
		const secret = sandbox.secretOf(record.id);
		expect(secret).toHaveLength(171);
		expect(out[0].json).toMatchObject({
			signed: true,
			signatureSecret: secret,
			signatureSecretNote: NOTE,
		});
		expect(apiCalls('PATCH')[0].body).toMatchObject({ active_signature: true });
	});

	it('changes the URL', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/old' });
		const out = await run([
			{
				operation: 'update',
				webhookId: record.id,
				updateFields: { url: ' https://example.com/new ' },
			},
		]);
		expect(out[0].json.url).toBe('https://example.com/new');
		expect(sandbox.records()[0].webhooks).toBe('https://example.com/new');
	});

	it('turns schedule activity on when only a waiting duration is set', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/w' });
		await run([
			{ operation: 'update', webhookId: record.id, updateFields: { waitingDuration: 1800 } },
		]);
		expect(apiCalls('PATCH')[0].body).toMatchObject({
			schedule_activity: true,
			waiting_duration: 1800,
		});
	});

	it('gives schedule activity switched on alone the current duration, or 1 hour', async () => {
		const none = sandbox.addRecord({ webhooks: 'https://example.com/none' });
		const kept = sandbox.addRecord({
			webhooks: 'https://example.com/kept',
			schedule_activity: false,
			waiting_duration: 600,
		});
		await run([
			{ operation: 'update', webhookId: none.id, updateFields: { scheduleActivity: true } },
			{ operation: 'update', webhookId: kept.id, updateFields: { scheduleActivity: true } },
		]);
		expect(apiCalls('PATCH').map((c) => c.body)).toEqual([
			expect.objectContaining({ schedule_activity: true, waiting_duration: 3600 }),
			expect.objectContaining({ schedule_activity: true, waiting_duration: 600 }),
		]);
	});

	it('sends waiting_duration 0 when schedule activity is turned off', async () => {
		const record = sandbox.addRecord({
			webhooks: 'https://example.com/off',
			schedule_activity: true,
			waiting_duration: 3600,
		});
		await run([
			{ operation: 'update', webhookId: record.id, updateFields: { scheduleActivity: false } },
		]);
		expect(apiCalls('PATCH')[0].body).toMatchObject({
			schedule_activity: false,
			waiting_duration: 0,
		});
	});

	it('refuses an empty Update Fields before calling the API', async () => {
		const error = await runFailing([{ operation: 'update', webhookId: 1, updateFields: {} }]);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Nothing to update');
		expect(sandbox.calls).toHaveLength(0);
	});

	it('refuses clearing all events', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/e' });
		const error = await runFailing([
			{ operation: 'update', webhookId: record.id, updateFields: { events: [] } },
		]);
		expect(error.message).toBe('Choose at least one event');
		expect(apiCalls('PATCH')).toHaveLength(0);
	});

	it('reports an unknown id as 404', async () => {
		const error = await runFailing([
			{ operation: 'update', webhookId: 42, updateFields: { enabled: false } },
		]);
		expect((error as WhatsAbleApiError).kind).toBe('not-found');
		expect(error.message).toBe(
			'WhatsAble has no such webhook (404) while trying to update webhook 42',
		);
		expect(apiCalls('PATCH')).toHaveLength(0);
	});

	it('reports a URL already used by another webhook', async () => {
		sandbox.addRecord({ webhooks: 'https://example.com/a' });
		const b = sandbox.addRecord({ webhooks: 'https://example.com/b' });
		const error = await runFailing([
			{ operation: 'update', webhookId: b.id, updateFields: { url: 'https://example.com/a' } },
		]);
		expect((error as WhatsAbleApiError).kind).toBe('duplicate-url');
	});
});

describe('delete', () => {
	it('deletes a webhook', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/d' });
		const out = await run([{ operation: 'delete', webhookId: record.id }]);
		expect(out).toEqual([{ json: { id: record.id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(sandbox.records()).toEqual([]);
		expect(apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
			`DELETE /api:qh9OQ3OW/webhook/dev/${record.id}`,
		]);
	});

	it('fails on a webhook already gone unless told to succeed', async () => {
		const record = sandbox.addRecord({ webhooks: 'https://example.com/gone' });
		sandbox.deleteOutOfBand(record.id);
		const error = await runFailing([{ operation: 'delete', webhookId: record.id }]);
		expect((error as WhatsAbleApiError).kind).toBe('not-found');
		expect(error.message).toBe(
			`WhatsAble has no such webhook (404) while trying to delete webhook ${record.id}`,
		);
	});

	it('succeeds on a webhook already gone with Succeed If Already Deleted', async () => {
		const out = await run([
			{ operation: 'delete', webhookId: 7, options: { succeedIfAlreadyDeleted: true } },
		]);
		expect(out).toEqual([
			{ json: { id: 7, deleted: false, alreadyGone: true }, pairedItem: { item: 0 } },
		]);
	});
});

describe('items and failures', () => {
	it('with Continue On Fail, puts the error on the failing item and goes on', async () => {
		const one = sandbox.addRecord({ webhooks: 'https://example.com/1' });
		const two = sandbox.addRecord({ webhooks: 'https://example.com/2' });
		const out = await run(
			[
				{ operation: 'get', webhookId: one.id },
				{ operation: 'get', webhookId: 99 },
				{ operation: 'delete', webhookId: 98 },
				{ operation: 'get', webhookId: two.id },
			],
			{ continueOnFail: true },
		);
		expect(out).toEqual([
			{ json: expect.objectContaining({ id: one.id }), pairedItem: { item: 0 } },
			{ json: { error: 'Webhook 99 not found' }, pairedItem: { item: 1 } },
			{
				json: { error: 'WhatsAble has no such webhook (404) while trying to delete webhook 98' },
				pairedItem: { item: 2 },
			},
			{ json: expect.objectContaining({ id: two.id }), pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail, stops at the failing item and names it', async () => {
		const one = sandbox.addRecord({ webhooks: 'https://example.com/1' });
		const error = await runFailing([
			{ operation: 'get', webhookId: one.id },
			createParams('https://example.com/1'),
			createParams('https://example.com/never'),
		]);
		expect((error as WhatsAbleApiError).kind).toBe('duplicate-url');
		expect(error.context.itemIndex).toBe(1);
		expect(apiCalls('POST')).toHaveLength(1);
		expect(sandbox.records().map((r) => r.webhooks)).toEqual(['https://example.com/1']);
	});

	it('never puts the API token in an output or an error', async () => {
		sandbox.addRecord({ webhooks: 'https://example.com/secret', active_signature: true });
		const texts: string[] = [];
		texts.push(JSON.stringify(await run([createParams('https://example.com/new')])));
		texts.push(JSON.stringify(await run([{ operation: 'getAll', returnAll: true }])));
		texts.push(
			JSON.stringify(
				await run(
					[
						{ operation: 'get', webhookId: 99 },
						{ operation: 'update', webhookId: 99, updateFields: { enabled: true } },
					],
					{ continueOnFail: true },
				),
			),
		);
		const failures = [
			await runFailing([{ operation: 'get', webhookId: 1 }], {
				credentials: { apiToken: BAD_TOKEN },
			}),
			await runFailing([createParams('https://example.com/new')]),
			await runFailing([{ operation: 'delete', webhookId: 55 }]),
		];
		for (const failure of failures) {
			texts.push(failure.message, String(failure.description), JSON.stringify(failure));
		}
		const all = texts.join('\n');
		expect(all).toContain('Same webhook exist');
		expect(all).not.toContain(sandbox.token);
		expect(all).not.toContain(BAD_TOKEN);
		expect(apiCalls().every((c) => c.headers.authorization === '[REDACTED]')).toBe(true);
	});
});
