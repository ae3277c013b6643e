import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { labelSubtitle } from '../shared/subtitle';
import { EVENT_OPTIONS } from '../WhatsAbleWebhooks/actions/webhook/options';
import { triggerProperties } from './description/parameters';
import { triggerPanel } from './description/triggerPanel';
import { triggerWebhooks } from './description/webhooks';
import { handleDelivery } from './handler';
import { registrationLifecycle } from './registration/lifecycle';

/*
 * What the user sets: description/. A delivery: handler.ts → delivery/ (the pure verdict) →
 * payload/ (bytes to typed items) → dedupe/ (the duplicate window) → attachments/. Publishing
 * and unpublishing: registration/.
 */
export class WhatsAbleWebhooksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsAble Trigger',
		name: 'whatsAbleWebhooksTrigger',
		// 1.1 behaves as 1; n8n evaluates an extra expression on every delivery to a version-1 webhook node.
		version: [1, 1.1],
		defaultVersion: 1.1,
		group: ['trigger'],
		icon: { light: 'file:../../icons/whatsable.svg', dark: 'file:../../icons/whatsable.dark.svg' },
		subtitle: labelSubtitle('events', EVENT_OPTIONS, (o) => o.name),
		description:
			'Starts the workflow when a WhatsApp message arrives through WhatsAble (Notifier, Notifyer System)',
		defaults: { name: 'WhatsAble Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: triggerWebhooks,
		properties: triggerProperties,
		triggerPanel,
	};

	webhookMethods = { default: registrationLifecycle };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}
}
