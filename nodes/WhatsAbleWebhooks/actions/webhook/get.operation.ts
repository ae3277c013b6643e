import { NodeOperationError } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import { itemFor, operationProperties, type OperationExecute } from '../operation';

import { findWebhook } from '../../../shared/devWebhooks';
import { readWebhookId, toOutput, webhookIdField } from './fields';

const properties: INodeProperties[] = [
	webhookIdField('The numeric ID of the webhook to fetch, as returned by Create or Get Many'),
];

export const description = operationProperties('webhook', 'get', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const id = readWebhookId(this, itemIndex);
	// The API has no single-record GET: the transport lists and picks.
	const record = await findWebhook(this, id);
	if (!record) {
		throw new NodeOperationError(this.getNode(), `Webhook ${id} not found`, {
			itemIndex,
			description:
				'No webhook with this ID exists in the WhatsAble account (it may have been deleted in the dashboard). Use the Get Many operation to list the current webhooks and their IDs.',
		});
	}
	return [itemFor(toOutput(record), itemIndex)];
};
