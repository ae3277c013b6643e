import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { asNodeError } from '../../shared/apiError';
import type { OperationExecute } from './operation';
import * as webhook from './webhook';

/* Resource → operation map. A new resource is a folder under actions/ and one line here. */
const resources: Record<string, { operations: Record<string, OperationExecute> }> = {
	webhook,
};

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'webhook',
	description: 'What to work with: the webhook endpoints WhatsAble delivers messages to',
	options: [{ name: 'Webhook', value: 'webhook' }],
};

export const properties: INodeProperties[] = [resourceProperty, ...webhook.description];

function operationFor(ctx: IExecuteFunctions, itemIndex: number): OperationExecute {
	const resource = String(ctx.getNodeParameter('resource', itemIndex, 'webhook'));
	const operation = String(ctx.getNodeParameter('operation', itemIndex));
	const operations = Object.hasOwn(resources, resource) ? resources[resource].operations : {};
	if (!Object.hasOwn(operations, operation)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
			{ itemIndex },
		);
	}
	return operations[operation];
}

/** Runs each input item's operation; with Continue On Fail a failed item becomes `{ error }`. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...(await operationFor(this, itemIndex).call(this, itemIndex)));
		} catch (error) {
			const failure = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			output.push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}
