import { processState } from '../../nodes/WhatsAbleWebhooksTrigger/processState';

/** Forgets every duplicate window this process holds, as an n8n restart does. */
export function forgetProcessWindows(): void {
	processState.windows.clear();
}

/** Forgets what this process learnt about n8n saving a run's static data (runWrites.ts). */
export function forgetRunWritesLearnt(): void {
	processState.runWritesSaved = false;
}
