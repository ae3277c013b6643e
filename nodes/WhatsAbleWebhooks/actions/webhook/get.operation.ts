import type { INodeProperties } from 'n8n-workflow';

import { itemFor, type OperationExecute } from '../operation';

import { ownWebhook } from './api';
import { readWebhookId, toOutput, webhookIdField } from './fields';
import { webhookOutputSchema } from './output';

export const properties: INodeProperties[] = [
	webhookIdField('The numeric ID of the webhook to fetch, as returned by Create or Get Many'),
];

/** Its item, for the editor's `__schema__` file. */
export const output = webhookOutputSchema;

export const execute: OperationExecute = async function (itemIndex) {
	const id = readWebhookId(this, itemIndex);
	// The API has no single-record GET: the account's own list answers.
	const record = await ownWebhook(this, id, `get webhook ${id}`);
	return [itemFor(toOutput(record), itemIndex)];
};
