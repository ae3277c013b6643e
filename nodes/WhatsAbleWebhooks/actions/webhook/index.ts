import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OperationExecute } from '../operation';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationExecute> = {
	create: create.execute,
	delete: del.execute,
	get: get.execute,
	getAll: getAll.execute,
	update: update.execute,
};

export const OPERATION_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		action: 'Create a webhook',
		description: 'Register a URL that receives WhatsApp messages from WhatsAble',
	},
	{
		name: 'Delete',
		value: 'delete',
		action: 'Delete a webhook',
		description: 'Remove a webhook by its ID so it receives nothing more',
	},
	{
		name: 'Get',
		value: 'get',
		action: 'Get a webhook',
		description: 'Fetch one webhook by its ID',
	},
	{
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many webhooks',
		description: 'List the webhooks of the account, optionally filtered',
	},
	{
		name: 'Update',
		value: 'update',
		action: 'Update a webhook',
		description: 'Change some settings of a webhook by its ID; the others are kept',
	},
];

function operationProperty(
	defaultOperation: string,
	displayOptions: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions,
		default: defaultOperation,
		description: 'What to do with the webhook endpoints of the WhatsAble account',
		options: OPERATION_OPTIONS,
	};
}

export const description: INodeProperties[] = [
	// As an AI tool the node starts on the harmless Get Many. `hide` rather than `show: false`
	// so that an n8n which does not know '@tool' still shows the first property.
	operationProperty('create', { show: { resource: ['webhook'] }, hide: { '@tool': [true] } }),
	operationProperty('getAll', { show: { resource: ['webhook'], '@tool': [true] } }),
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...del.description,
];
