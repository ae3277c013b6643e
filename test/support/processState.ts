import { processState } from '../../nodes/WhatsAbleWebhooksTrigger/processState';

/** Forgets every duplicate window this process holds, as an n8n restart does. */
export function forgetProcessWindows(): void {
	processState.windows.clear();
}
