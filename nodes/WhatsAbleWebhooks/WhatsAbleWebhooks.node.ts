import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { RESOURCES } from './actions/registry';
import { resourceProperties, resourceSubtitle } from './actions/resource';
import { routerFor } from './actions/router';

/* The node is its resources (actions/registry.ts): parameters, subtitle and dispatch come from them. */
const router = routerFor(RESOURCES);

export class WhatsAbleWebhooks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsAble Webhooks',
		name: 'whatsAbleWebhooks',
		icon: { light: 'file:../../icons/whatsable.svg', dark: 'file:../../icons/whatsable.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: resourceSubtitle(RESOURCES),
		description:
			'Create, get, list, update and delete the webhook endpoints of a WhatsAble (Notifier, Notifyer System) account',
		defaults: { name: 'WhatsAble Webhooks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: resourceProperties(RESOURCES),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
