/** The writable settings of a registration, as the trigger sends them by default (signed, incoming only). */
import type { WebhookSettings } from '../../nodes/WhatsAbleWebhooks/actions/webhook/record';
import { defaultSettings, registrationSettings } from '../../nodes/WhatsAbleWebhooksTrigger/settings';

export const webhookSettings = (url: string, extra: Partial<WebhookSettings> = {}): WebhookSettings => ({
	...registrationSettings(defaultSettings(), url),
	...extra,
});
