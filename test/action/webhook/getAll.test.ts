import { type INodeExecutionData } from 'n8n-workflow';

import { useActionNode } from '../../support/actionNode';

const action = useActionNode();
const { run } = action;

describe('get many', () => {
	beforeEach(() => {
		action.sandbox.addRecord({ webhooks: 'https://alpha.example.com/1' });
		action.sandbox.addRecord({ webhooks: 'https://beta.example.com/2', status: false });
		action.sandbox.addRecord({ webhooks: 'https://ALPHA.example.com/3', status: false });
		action.sandbox.addRecord({ webhooks: 'https://gamma.example.com/4' });
		action.sandbox.addRecord({ webhooks: 'https://alpha.example.com/5' });
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
