import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { toNodeError } from './actions/shared';
import * as webhook from './actions/webhook';

export class WhatsAbleWebhooks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsAble Webhooks',
		name: 'whatsAbleWebhooks',
		icon: { light: 'file:../../icons/whatsable.svg', dark: 'file:../../icons/whatsable.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Create, get, list, update and delete the webhook endpoints of a WhatsAble (Notifier, Notifyer System) account',
		defaults: { name: 'WhatsAble Webhooks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAbleWebhooksApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'webhook',
				description: 'What to work with: the webhook endpoints WhatsAble delivers messages to',
				options: [{ name: 'Webhook', value: 'webhook' }],
			},
			...webhook.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const resource = this.getNodeParameter('resource', itemIndex, 'webhook');
				const operation = this.getNodeParameter('operation', itemIndex);
				if (resource !== 'webhook' || !webhook.isWebhookOperation(operation)) {
					throw new NodeOperationError(
						this.getNode(),
						`The operation "${String(operation)}" is not supported for resource "${String(resource)}"`,
						{ itemIndex },
					);
				}
				output.push(...(await webhook.operations[operation].call(this, itemIndex)));
			} catch (error) {
				const failure = toNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw failure;
				output.push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
