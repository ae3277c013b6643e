import type { ConversationItem } from '../payload/output';
import type { TriggerSettings } from '../settings';

/** Why an item does not start the workflow, or null when it passes every filter. */
export function filterReason(item: ConversationItem, settings: TriggerSettings): string | null {
	if (item.direction === 'incoming' && !settings.incoming)
		return 'incoming messages are not selected';
	if (item.direction === 'outgoing' && !settings.outgoing)
		return 'outgoing messages are not selected';
	if (
		settings.ignoreAutomatedOutgoing &&
		item.direction === 'outgoing' &&
		item.message.byHuman === false
	) {
		return 'outgoing message sent by an automation';
	}
	if (settings.onlyHuman && item.message.byHuman !== true) return 'not sent by a human';
	if (
		settings.messageTypes.length > 0 &&
		!settings.messageTypes.includes(item.message.type.toLowerCase())
	) {
		return `message type "${item.message.type}" is not selected`;
	}
	if (settings.labels.length > 0) {
		const labels = new Set(item.labels.map((l) => l.toLowerCase()));
		if (!settings.labels.some((l) => labels.has(l))) return 'no selected label';
	}
	return null;
}
