import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { allProperties } from '../support/actionNode';

describe('node description', () => {
	const description = new WhatsAbleWebhooks().description;

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

	it('names every operation as an action the nodes panel can list', () => {
		// One Operation parameter per resource and start (editor, AI tool): each is a list of its own.
		const operations = description.properties.filter((p) => p.name === 'operation');
		expect(operations.length).toBeGreaterThan(0);
		for (const operation of operations) {
			const options = (operation.options ?? []) as Array<{ action?: string }>;
			const actions = options.map((o) => o.action ?? '');
			expect(actions.filter((a) => !/^[A-Z][a-z]+ .+/.test(a))).toEqual([]);
			expect(new Set(actions).size).toBe(actions.length);
		}
	});
});
