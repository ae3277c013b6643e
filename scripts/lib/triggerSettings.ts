import type { TriggerSettings } from '../../nodes/WhatsAbleWebhooksTrigger/settings';

/** The settings of a trigger left at its defaults (incoming messages, signatures verified). */
export function defaultSettings(overrides: Partial<TriggerSettings> = {}): TriggerSettings {
	return {
		incoming: true,
		outgoing: false,
		verifySignatures: true,
		signatureScheme: 'auto',
		scheduleActivity: false,
		waitingDuration: 0,
		output: 'message',
		respond: 'immediately',
		ignoreAutomatedOutgoing: false,
		messageTypes: [],
		labels: [],
		onlyHuman: false,
		includeRawPayload: false,
		downloadAttachment: false,
		binaryProperty: 'attachment',
		maxAttachmentBytes: 25 * 1024 * 1024,
		...overrides,
	};
}
