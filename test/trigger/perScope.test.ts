import { PerScope } from '../../nodes/WhatsAbleWebhooksTrigger/perScope';

describe('PerScope', () => {
	test('each scope gets its own value, made once and then reused', () => {
		let made = 0;
		const state = new PerScope(() => ({ n: ++made }));
		const published = state.of('wf:node:production');
		expect(state.of('wf:node:production')).toBe(published);
		expect(state.of('wf:node:test')).not.toBe(published);
		expect(made).toBe(2);
	});

	test('clear forgets every value, as a restart does: the next use makes a new one', () => {
		const state = new PerScope(() => ({ held: [] as string[] }));
		state.of('s').held.push('x');
		state.clear();
		expect(state.of('s').held).toEqual([]);
	});
});
