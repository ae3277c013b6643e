import { sleep } from 'n8n-workflow';

import { forgetUnverifiableLog } from '../../nodes/WhatsAbleWebhooksTrigger/answers';
import { flushWorkPending, forgetFlushes } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { forgetBursts } from '../../nodes/WhatsAbleWebhooksTrigger/burst/store';
import { forgetWindows } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/store';
import { forgetPauses } from '../../nodes/WhatsAbleWebhooksTrigger/pause/store';
import { forgetProcessSecrets as forgetSecrets } from '../../nodes/WhatsAbleWebhooksTrigger/registration/signingSecret';
import { forgetPublishing } from '../../nodes/WhatsAbleWebhooksTrigger/registration/stored';

/**
 * Forgets every duplicate window and pause book this process holds, and what it flushed, as an
 * n8n restart does.
 */
export function forgetProcessWindows(): void {
	forgetWindows();
	forgetPauses();
	forgetBursts();
	forgetFlushes();
}

/** Forgets every secret this process opened or registered, as an n8n restart does. */
export function forgetProcessSecrets(): void {
	forgetSecrets();
	forgetPublishing();
	forgetUnverifiableLog();
}

/**
 * Waits until no flush is pending or in flight, so that a test that stops its endpoint does not
 * leave one running past its end.
 */
export async function settleFlushes(timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (flushWorkPending() && Date.now() < until) {
		await sleep(20);
	}
}
