import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { labelSubtitle } from '../shared/subtitle';
import { OPERATION_OPTIONS } from './actions/webhook';
import { properties, router } from './actions/router';

export class WhatsAbleWebhooks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsAble Webhooks',
		name: 'whatsAbleWebhooks',
		icon: { light: 'file:../../icons/whatsable.svg', dark: 'file:../../icons/whatsable.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: labelSubtitle('operation', OPERATION_OPTIONS, (o) => o.action ?? o.name),
		description:
			'Create, get, list, update and delete the webhook endpoints of a WhatsAble (Notifier, Notifyer System) account',
		defaults: { name: 'WhatsAble Webhooks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
