import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleDelivery } from './delivery';
import { triggerProperties } from './description';
import { registrationLifecycle } from './lifecycle';

export class WhatsAbleWebhooksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsAble Trigger',
		name: 'whatsAbleWebhooksTrigger',
		icon: { light: 'file:../../icons/whatsable.svg', dark: 'file:../../icons/whatsable.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when a WhatsApp message arrives through WhatsAble (Notifier, Notifyer System)',
		defaults: { name: 'WhatsAble Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'whatsAbleWebhooksApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				path: 'webhook',
				responseMode:
					'={{ $parameter["respond"] === "lastNode" ? "lastNode" : $parameter["respond"] === "responseNode" ? "responseNode" : "onReceived" }}',
				// Without an explicit value n8n answers the literal text "firstEntryJson".
				responseData: '={{ $parameter["respond"] === "lastNode" ? "firstEntryJson" : "" }}',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = { default: registrationLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}
}
