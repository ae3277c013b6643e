import { WhatsAbleApiError } from '../../../nodes/shared/apiError';
import { useActionNode } from '../../support/actionNode';
import { HOSTILE_WEBHOOK_IDS } from '../../support/hostileCorpus';

const action = useActionNode();
const { run, runFailing, apiCalls } = action;

describe('delete', () => {
	it('deletes a webhook', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/d' });
		const out = await run([{ operation: 'delete', webhookId: record.id }]);
		expect(out).toEqual([{ json: { id: record.id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(action.sandbox.records()).toEqual([]);
		// Listed first: WhatsAble's DELETE would delete any account's id (see api.test.ts).
		expect(apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual([
			'GET /api:qh9OQ3OW/webhook/dev',
			`DELETE /api:qh9OQ3OW/webhook/dev/${record.id}`,
		]);
	});

	it('fails on a webhook already gone unless told to succeed', async () => {
		const record = action.sandbox.addRecord({ webhooks: 'https://example.com/gone' });
		action.sandbox.deleteOutOfBand(record.id);
		const error = await runFailing([{ operation: 'delete', webhookId: record.id }]);
		expect((error as WhatsAbleApiError).kind).toBe('not-found');
		expect(error.message).toBe(
			`Webhook ${record.id} is not in this WhatsAble account (could not delete webhook ${record.id})`,
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

	it.each(HOSTILE_WEBHOOK_IDS.map((id) => [id]))(
		'refuses the id %j before any request (no other webhook is deleted)',
		async (webhookId) => {
			action.sandbox.addRecord({ webhooks: 'https://example.com/kept' });
			const error = await runFailing([{ operation: 'delete', webhookId }]);
			expect(error.message).toBe('Webhook ID must be a positive whole number');
			expect(error.description).toContain('Get Many');
			expect(action.sandbox.calls).toHaveLength(0);
			expect(action.sandbox.records()).toHaveLength(1);
		},
	);
});
