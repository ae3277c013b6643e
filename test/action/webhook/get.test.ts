
import { SANDBOX_USER_ID } from '../../../sandbox';
import { useActionNode } from '../../support/actionNode';

const action = useActionNode();
const { run, runFailing, apiCalls } = action;

describe('get', () => {
	it('finds one webhook by id and never shows its secret', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/one' });
		const second = action.sandbox.addRecord({
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
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/text-id' });
		const out = await run([{ operation: 'get', webhookId: String(record.id) }]);
		expect(out[0].json.id).toBe(record.id);
	});

	it('reports an unknown id and hints at Get Many', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/one' });
		const error = await runFailing([{ operation: 'get', webhookId: 99 }]);
		expect(error.message).toBe('Webhook 99 is not in this WhatsAble account (could not get webhook 99)');
		expect(error.description).toContain('Get Many');
		expect(error.context.itemIndex).toBe(0);
	});

	it('rejects an id that is not a positive whole number', async () => {
		const error = await runFailing([{ operation: 'get', webhookId: 0 }]);
		expect(error.message).toBe('Webhook ID must be a positive whole number');
		expect(action.sandbox.calls).toHaveLength(0);
	});
});
