import { sleep } from 'n8n-workflow';

import { processState } from '../../nodes/WhatsAbleWebhooksTrigger/processState';

/** Forgets every duplicate window this process holds, and what it flushed, as an n8n restart does. */
export function forgetProcessWindows(): void {
	processState.windows.clear();
	processState.flushes.clear();
	processState.unreachableLogged.clear();
}

/** Forgets every secret this process opened or registered, as an n8n restart does. */
export function forgetProcessSecrets(): void {
	processState.openedSecrets.clear();
	processState.secretsByUrl.clear();
	processState.derivedKeys.clear();
	processState.unverifiableLoggedAt.clear();
}

function flushWorkPending(): boolean {
	return processState.settling > 0 || [...processState.flushes.values()].some((f) => f.running);
}

/**
 * Waits until no flush is pending or in flight: a flush (and its confirmation) follows a delivery
 * that ran by about two seconds, so a test that stops its endpoint at once would leave it running
 * past the test's end.
 */
export async function settleFlushes(timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (flushWorkPending() && Date.now() < until) {
		await sleep(50);
	}
}
