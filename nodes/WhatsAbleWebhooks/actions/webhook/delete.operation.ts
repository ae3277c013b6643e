import type { INodeProperties } from 'n8n-workflow';

import { itemFor, type OperationExecute } from '../operation';
import { readBoolean } from '../../../shared/readers';

import { deleteWebhook } from './api';
import { readWebhookId, webhookIdField } from './fields';
import { deleteOutputSchema, type DeleteOutput } from './output';

export const properties: INodeProperties[] = [
	webhookIdField('The numeric ID of the webhook to delete, as returned by Create or Get Many'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'Extra settings for the deletion',
		options: [
			{
				displayName: 'Succeed If Already Deleted',
				name: 'succeedIfAlreadyDeleted',
				type: 'boolean',
				default: false,
				description:
					'Whether a webhook that no longer exists counts as success (output alreadyGone: true) instead of an error',
			},
		],
	},
];

/** Its item, for the editor's `__schema__` file. */
export const output = deleteOutputSchema;

export const execute: OperationExecute = async function (itemIndex) {
	const id = readWebhookId(this, itemIndex);
	const allowMissing = readBoolean(
		this.getNodeParameter('options.succeedIfAlreadyDeleted', itemIndex, false),
		false,
	);
	const outcome = await deleteWebhook(this, id, { allowMissing });
	const json: DeleteOutput =
		outcome === 'deleted' ? { id, deleted: true } : { id, deleted: false, alreadyGone: true };
	return [itemFor(json, itemIndex)];
};
