import { asPositiveInteger } from '../../nodes/shared/readers';
import { HOSTILE_WEBHOOK_IDS } from '../support/hostileCorpus';

describe('asPositiveInteger (webhook ids and waiting durations)', () => {
	test.each([
		[1, 1],
		[3600, 3600],
		[Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
		['5', 5],
		[' 42 ', 42],
		['\t7\n', 7],
		['007', 7],
		['9007199254740991', Number.MAX_SAFE_INTEGER],
	])('accepts %j as %d', (value, expected) => {
		expect(asPositiveInteger(value)).toBe(expected);
	});

	test.each(HOSTILE_WEBHOOK_IDS.map((value) => [value]))(
		'refuses %j (a form Number() would read as another value)',
		(value) => {
			expect(asPositiveInteger(value)).toBeUndefined();
		},
	);
});
