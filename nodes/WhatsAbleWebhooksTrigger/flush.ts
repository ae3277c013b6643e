import { randomBytes, timingSafeEqual } from 'node:crypto';

import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import { processState, type FlushState } from './processState';

/*
 * n8n 2.41.1 does not save static data written by a delivery that starts an execution, but it
 * does save it for one that starts none. After a delivery that ran, the trigger therefore sends
 * itself one small "flush" request (coalesced per trigger) that starts no execution and writes the
 * process's duplicate window into static data. The header carries a per-process random nonce,
 * so no outsider can forge a flush; if n8n cannot reach its own URL the window still holds in
 * memory until the next delivery that starts no execution persists it.
 */
export const FLUSH_HEADER = 'x-whatsable-trigger-flush';
export const FLUSH_DELAY_MS = 500;
const nonce = randomBytes(24).toString('base64url');
const nonceBuffer = Buffer.from(nonce);
const inFlight = processState.flushes;

/** Never throws: lengths are compared in bytes, as timingSafeEqual needs (any header is outsider input). */
export function isFlushRequest(header: unknown): boolean {
	if (typeof header !== 'string') return false;
	const given = Buffer.from(header, 'utf8');
	return given.length === nonceBuffer.length && timingSafeEqual(given, nonceBuffer);
}

export function scheduleFlush(ctx: IWebhookFunctions, scope: string, url: string): void {
	const running = inFlight.get(scope);
	if (running) {
		// Deliveries during a flush get one more flush, sent with the newest context and URL.
		Object.assign(running, { again: true, ctx, url });
		return;
	}
	const state: FlushState = { again: false, ctx, url };
	inFlight.set(scope, state);
	void (async () => {
		try {
			do {
				state.again = false;
				// The pause lets a burst of deliveries share one flush: each flush is a full webhook
				// request with a database write, so under load they must stay rare.
				await sleep(FLUSH_DELAY_MS);
				try {
					await state.ctx.helpers.httpRequest({
						method: 'POST',
						url: state.url,
						headers: { [FLUSH_HEADER]: nonce },
						body: {},
						json: true,
						timeout: 5_000,
						ignoreHttpStatusErrors: true,
					});
				} catch {
					// Unreachable own URL: see above.
				}
			} while (state.again);
		} finally {
			inFlight.delete(scope);
		}
	})();
}
