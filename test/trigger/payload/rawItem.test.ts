import { RAW_BODY_KEY, rawItemJson } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/rawItem';

describe('rawItemJson (the item of Raw Body output)', () => {
	test('a JSON object is the item as it is', () => {
		const body = { phone_number: '14155552671', nested: { a: [1, 2] } };
		expect(rawItemJson(body)).toBe(body);
	});

	test.each([
		['a number', 42],
		['a negative fraction', -0.0015],
		['true', true],
		['false', false],
		['a string', 'hello'],
		['an empty string', ''],
		['null', null],
		['an array', [1, { a: 1 }]],
		['an empty array', []],
	])('%s is wrapped under the body key', (_name, value) => {
		expect(rawItemJson(value)).toEqual({ [RAW_BODY_KEY]: value });
	});
});
