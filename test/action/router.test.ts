import { WhatsAbleApiError } from '../../nodes/shared/apiError';
import { BAD_TOKEN, createParams, useActionNode } from '../support/actionNode';

const action = useActionNode();
const { run, runFailing, apiCalls } = action;

describe('items and failures', () => {
	it('with Continue On Fail, puts the error on the failing item and goes on', async () => {
		const one = action.sandbox.addRecord({ webhooks: 'https://example.com/1' });
		const two = action.sandbox.addRecord({ webhooks: 'https://example.com/2' });
		const out = await run(
			[
				{ operation: 'get', webhookId: one.id },
				{ operation: 'get', webhookId: 99 },
				{ operation: 'get', webhookId: 0 },
				{ operation: 'get', webhookId: two.id },
			],
			{ continueOnFail: true },
		);
		expect(out).toEqual([
			{ json: expect.objectContaining({ id: one.id }), pairedItem: { item: 0 } },
			{ json: { error: 'Webhook 99 is not in this WhatsAble account (could not get webhook 99)' }, pairedItem: { item: 1 } },
			{
				json: { error: 'Webhook ID must be a positive whole number' },
				pairedItem: { item: 2 },
			},
			{ json: expect.objectContaining({ id: two.id }), pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail, stops at the failing item and names it', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/1' });
		const error = await runFailing([
			createParams('https://example.com/0'),
			createParams('https://example.com/1'),
			createParams('https://example.com/never'),
		]);
		expect((error as WhatsAbleApiError).kind).toBe('duplicate-url');
		expect(error.context.itemIndex).toBe(1);
		expect(apiCalls('POST')).toHaveLength(2);
		expect(action.sandbox.records().map((r) => r.webhooks)).toEqual([
			'https://example.com/1',
			'https://example.com/0',
		]);
	});

	it('never puts the API token in an output or an error', async () => {
		action.sandbox.addRecord({ webhooks: 'https://example.com/secret', active_signature: true });
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
		expect(all).not.toContain(action.sandbox.token);
		expect(all).not.toContain(BAD_TOKEN);
		expect(apiCalls().every((c) => c.headers.authorization === '[REDACTED]')).toBe(true);
	});
});
