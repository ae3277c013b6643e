import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { itemFor, type OperationExecute } from '../operation';
import { readBoolean } from '../../../shared/readers';

import { listWebhooks } from './api';
import type { WebhookRecord } from './record';
import { toOutput } from './fields';
import { webhookOutputSchema } from './output';

export const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Narrow the list down; filters apply before the limit',
		options: [
			{
				displayName: 'Enabled',
				name: 'enabled',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any', value: 'any', description: 'Enabled and disabled webhooks' },
					{ name: 'Disabled', value: 'disabled', description: 'Only paused webhooks' },
					{
						name: 'Enabled',
						value: 'enabled',
						description: 'Only webhooks that receive deliveries',
					},
				],
				description:
					'Keep only enabled ("enabled"), only disabled ("disabled") or all ("any") webhooks',
			},
			{
				displayName: 'URL Contains',
				name: 'urlContains',
				type: 'string',
				default: '',
				placeholder: 'example.com',
				description: 'Keep only webhooks whose URL contains this text (case-insensitive)',
			},
		],
	},
];

/** Its item, for the editor's `__schema__` file. */
export const output = webhookOutputSchema;

function matches(record: WebhookRecord, filters: IDataObject): boolean {
	const urlContains = typeof filters.urlContains === 'string' ? filters.urlContains.trim() : '';
	if (urlContains && !record.webhooks.toLowerCase().includes(urlContains.toLowerCase())) {
		return false;
	}
	if (filters.enabled === 'enabled' && !record.status) return false;
	if (filters.enabled === 'disabled' && record.status) return false;
	return true;
}

export const execute: OperationExecute = async function (itemIndex) {
	const returnAll = readBoolean(this.getNodeParameter('returnAll', itemIndex, false), false);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// The API returns every record at once; filtering and limiting happen here.
	let records = (await listWebhooks(this)).filter((r) => matches(r, filters));
	if (!returnAll) {
		const limit = Math.max(1, Math.trunc(Number(this.getNodeParameter('limit', itemIndex, 50))));
		records = records.slice(0, Number.isFinite(limit) ? limit : 50);
	}
	return records.map((record) => itemFor(toOutput(record), itemIndex));
};
