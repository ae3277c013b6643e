import { describeStatus } from '../../nodes/shared/apiError';
import { makeNode } from '../support/n8nContext';

const node = makeNode();

describe('describeStatus: the description stands on its own', () => {
	// n8n 1.x shows only a NodeApiError's description when activating a workflow fails.
	test.each([
		[
			500,
			{ message: 'Internal Server Error' },
			/^WhatsAble answered 500: Internal Server Error\. .*retries/,
		],
		[
			400,
			{ message: 'Invalid URL' },
			/^WhatsAble answered 400: Invalid URL\. Check the values sent/,
		],
		[401, {}, /^WhatsAble answered 401\. WhatsAble session tokens are dashboard sessions/],
		[403, 'Forbidden', /^WhatsAble answered 403: Forbidden\. .*Console Origin Header/],
		[429, {}, /^WhatsAble answered 429\. /],
	])(
		'HTTP %s: names WhatsAble, the status and its message, then the advice',
		(status, body, expected) => {
			const error = describeStatus(node, status, body, 'create the webhook');
			expect(error.description).toMatch(expected);
			expect(error.message).toMatch(new RegExp(`WhatsAble.*\\(${status}\\)`));
		},
	);
});
