/** The writable settings of a registration, as the trigger sends them by default (signed, incoming only). */
import type { WebhookSettings } from '../../nodes/WhatsAbleWebhooks/actions/webhook/record';

export const webhookSettings = (
	url: string,
	extra: Partial<WebhookSettings> = {},
): WebhookSettings => ({
	webhooks: url,
	status: true,
	incoming: true,
	outgoing: false,
	schedule_activity: false,
	waiting_duration: 0,
	active_signature: true,
	...extra,
});
