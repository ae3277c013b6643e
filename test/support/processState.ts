import { sleep } from 'n8n-workflow';

import { processState } from '../../nodes/WhatsAbleWebhooksTrigger/processState';

/** Forgets every duplicate window this process holds, as an n8n restart does. */
export function forgetProcessWindows(): void {
	processState.windows.clear();
}

/** Forgets what this process learnt about n8n saving a run's static data (runWrites.ts). */
export function forgetRunWritesLearnt(): void {
	processState.runWritesSaved = false;
}

/**
 * Waits until no flush is pending or in flight: a flush is sent half a second after a delivery
 * ran, so a test that stops its endpoint at once would leave it running past the test's end.
 */
export async function settleFlushes(timeoutMs = 10_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (processState.flushes.size > 0 && Date.now() < until) {
		await sleep(50);
	}
}
