import codex from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node.json';
import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { allProperties } from '../support/actionNode';

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
			'returnSigningSecret',
		]);
		expect(byOperation('get')).toEqual(['webhookId']);
		expect(byOperation('getAll')).toEqual(['returnAll', 'limit', 'filters']);
		expect(byOperation('update')).toEqual(['webhookId', 'updateFields', 'returnSigningSecret']);
		expect(byOperation('delete')).toEqual(['webhookId', 'options']);
		for (const p of description.properties.filter((q) => q.displayOptions?.show?.operation)) {
			expect(p.displayOptions?.show?.resource).toEqual(['webhook']);
		}
		const waiting = description.properties.find((p) => p.name === 'waitingDuration');
		expect(waiting?.displayOptions?.show?.scheduleActivity).toEqual([true]);
	});
});
