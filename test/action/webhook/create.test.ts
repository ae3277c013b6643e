import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WhatsAbleApiError } from '../../../nodes/shared/apiError';
import { SANDBOX_USER_ID } from '../../../sandbox';
import { createParams, SECRET_NOTE, useActionNode } from '../../support/actionNode';
import { HOSTILE_WEBHOOK_URLS } from '../../support/hostileCorpus';

const action = useActionNode();
const { run, runFailing, apiCalls } = action;

describe('create', () => {
	it('registers the webhook, sends the exact body and shows the secret once', async () => {
		const out = await run([
			createParams('https://example.com/hook', {
				events: ['incoming', 'outgoing'],
				scheduleActivity: true,
				waitingDuration: 1800,
				signDeliveries: true,
				returnSigningSecret: true,
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
		const stored = action.sandbox.records()[0];
		const secret = action.sandbox.secretOf(stored.id);
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
					signatureSecretNote: SECRET_NOTE,
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
		expect(action.sandbox.records().map((r) => r.webhooks)).toEqual([
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
		expect(action.sandbox.calls).toHaveLength(0);
	});

	it('refuses a URL that is not http(s) before calling the API', async () => {
		const error = await runFailing([createParams('ftp://example.com/x')]);
		expect(error.message).toBe('URL must be a full http:// or https:// address');
		expect(action.sandbox.calls).toHaveLength(0);
	});

	it.each(HOSTILE_WEBHOOK_URLS.map((c) => [c.name, c.url] as const))(
		'refuses a URL with a control character (%s) before calling the API',
		async (_name, url) => {
			const error = await runFailing([createParams(url)]);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('URL contains a control character (such as a line break or tab)');
			expect(error.description).toMatch(/^Remove it/);
			expect(error.context.itemIndex).toBe(0);
			expect(action.sandbox.calls).toHaveLength(0);
		},
	);

	it.each(['1e3', '0x10', '1.0', '3600.5'])(
		'refuses the waiting duration %j before calling the API',
		async (waitingDuration) => {
			const error = await runFailing([
				createParams('https://example.com/x', { scheduleActivity: true, waitingDuration }),
			]);
			expect(error.message).toBe('Waiting Duration must be a whole number of seconds');
			expect(action.sandbox.calls).toHaveLength(0);
		},
	);

	it('explains a duplicate URL (400 "Same webhook exist")', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/taken' });
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
		action.sandbox.injectFault({
			method: 'POST',
			path: '/webhook/dev/create',
			times: 2,
			status: 500,
		});
		const out = await run([createParams('https://example.com/flaky')]);
		expect(apiCalls('POST').map((c) => c.status)).toEqual([500, 500, 200]);
		expect(out[0].json.url).toBe('https://example.com/flaky');
		expect(action.sandbox.records()).toHaveLength(1);
	});

	it('gives up after repeated 500s with a server error', async () => {
		action.sandbox.injectFault({ method: 'POST', times: 10, status: 503 });
		const error = await runFailing([createParams('https://example.com/down')]);
		expect((error as WhatsAbleApiError).kind).toBe('server');
		expect(error.message).toBe("WhatsAble's API failed (503) while trying to create the webhook");
		expect(apiCalls('POST')).toHaveLength(3);
	});

	it('waits out a 429 and then succeeds', async () => {
		action.sandbox.injectFault({ method: 'POST', times: 1, status: 429, retryAfter: 0 });
		const out = await run([createParams('https://example.com/busy')]);
		expect(apiCalls('POST').map((c) => c.status)).toEqual([429, 200]);
		expect(out[0].json.url).toBe('https://example.com/busy');
	});
});
