import type { Resource } from '../resource';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** The webhook endpoints of the account: one `<op>.operation.ts` per entry of `operations`. */
export const webhook: Resource = {
	value: 'webhook',
	name: 'Webhook',
	subject: 'the webhook endpoints WhatsAble delivers messages to',
	operationDescription: 'What to do with the webhook endpoints of the WhatsAble account',
	startsOn: { editor: 'create', tool: 'getAll' },
	operations: [
		{
			option: {
				name: 'Create',
				value: 'create',
				action: 'Create a webhook',
				description: 'Register a URL that receives WhatsApp messages from WhatsAble',
			},
			...create,
		},
		{
			option: {
				name: 'Get',
				value: 'get',
				action: 'Get a webhook',
				description: 'Fetch one webhook by its ID',
			},
			...get,
		},
		{
			option: {
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many webhooks',
				description: 'List the webhooks of the account, optionally filtered',
			},
			...getAll,
		},
		{
			option: {
				name: 'Update',
				value: 'update',
				action: 'Update a webhook',
				description: 'Change some settings of a webhook by its ID; the others are kept',
			},
			...update,
		},
		{
			option: {
				name: 'Delete',
				value: 'delete',
				action: 'Delete a webhook',
				description: 'Remove a webhook by its ID so it receives nothing more',
			},
			...del,
		},
	],
};
