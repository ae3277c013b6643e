import { NodeOperationError } from 'n8n-workflow';

import { WhatsAbleApiError } from '../../../nodes/shared/apiError';
import { SANDBOX_USER_ID } from '../../../sandbox';
import { SECRET_NOTE, useActionNode } from '../../support/actionNode';
import { HOSTILE_WEBHOOK_URLS } from '../../support/hostileCorpus';

const action = useActionNode();
const { run, runFailing, apiCalls } = action;

/** A record at https://example.com/<name> with schedule activity on or off after `seconds`. */
const scheduled = (name: string, on: boolean, seconds: number) =>
	action.sandbox.addRecord({
		webhooks: `https://example.com/${name}`,
		schedule_activity: on,
		waiting_duration: seconds,
	});

describe('update', () => {
	it('changes only the fields set and PATCHes the whole merged record', async () => {
		const record = action.sandbox.addRecord({
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
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/sign' });
		const out = await run([
			{
				operation: 'update',
				webhookId: record.id,
				updateFields: { signDeliveries: true },
				returnSigningSecret: true,
			},
		]);
		const secret = action.sandbox.secretOf(record.id);
		expect(secret).toHaveLength(171);
		expect(out[0].json).toMatchObject({
			signed: true,
			signatureSecret: secret,
			signatureSecretNote: SECRET_NOTE,
		});
		expect(apiCalls('PATCH')[0].body).toMatchObject({ active_signature: true });
	});

	it('changes the URL', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/old' });
		const out = await run([
			{
				operation: 'update',
				webhookId: record.id,
				updateFields: { url: ' https://example.com/new ' },
			},
		]);
		expect(out[0].json.url).toBe('https://example.com/new');
		expect(action.sandbox.records()[0].webhooks).toBe('https://example.com/new');
	});

	it.each(HOSTILE_WEBHOOK_URLS.map((c) => [c.name, c.url] as const))(
		'refuses a new URL with a control character (%s) and changes nothing',
		async (_name, url) => {
			const record = action.sandbox.addRecord({ webhooks: 'https://example.com/kept' });
			const error = await runFailing([
				{ operation: 'update', webhookId: record.id, updateFields: { url } },
			]);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('URL contains a control character (such as a line break or tab)');
			expect(apiCalls('PATCH')).toHaveLength(0);
			expect(action.sandbox.records()[0].webhooks).toBe('https://example.com/kept');
		},
	);

	it('turns schedule activity on when only a waiting duration is set', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/w' });
		await run([
			{ operation: 'update', webhookId: record.id, updateFields: { waitingDuration: 1800 } },
		]);
		expect(apiCalls('PATCH')[0].body).toMatchObject({
			schedule_activity: true,
			waiting_duration: 1800,
		});
	});

	it('gives schedule activity switched on alone the current duration, or 1 hour', async () => {
		const none = action.sandbox.addRecord({ webhooks: 'https://example.com/none' });
		const kept = scheduled('kept', false, 600);
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
		const record = scheduled('off', true, 3600);
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
		expect(action.sandbox.calls).toHaveLength(0);
	});

	it('refuses clearing all events', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/e' });
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
			'Webhook 42 is not in this WhatsAble account (could not update webhook 42)',
		);
		expect(apiCalls('PATCH')).toHaveLength(0);
	});

	it('reports a URL already used by another webhook', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/a' });
		const b = action.sandbox.addRecord({ webhooks: 'https://example.com/b' });
		const error = await runFailing([
			{ operation: 'update', webhookId: b.id, updateFields: { url: 'https://example.com/a' } },
		]);
		expect((error as WhatsAbleApiError).kind).toBe('duplicate-url');
	});
});
