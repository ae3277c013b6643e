import { createHmac, timingSafeEqual } from 'node:crypto';

import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { processState, type FlushState } from './processState';

/*
 * n8n 2.41.1 (regular and queue mode) does not save static data written by a delivery that starts an
 * execution, but it does save it for one that starts none. After a delivery that ran, the trigger
 * therefore sends itself one small "flush" request (coalesced per trigger) that starts no
 * execution and carries this process's duplicate window; whichever n8n process receives it (a
 * load balancer picks one in queue mode) merges the window into its own and saves it.
 *
 * The header proves the request comes from the trigger: an HMAC of the trigger's scope under the
 * credential's API token, which every process of the instance can compute and no outsider can.
 * A request with a wrong header is not a flush: it is judged as a delivery.
 *
 * Where n8n does save a delivery's write (not 2.41.1, in either mode: measured), the flush is not
 * needed; runWrites.ts finds that out and the process then stops flushing.
 */
export const FLUSH_HEADER = 'x-whatsable-trigger-flush';
export const FLUSH_DELAY_MS = 500;
const inFlight = processState.flushes;

/** The body of a flush: the sender's packed duplicate window. */
export interface FlushBody {
	seen?: unknown;
}

/** The flush header's value for one trigger scope under one API token. */
export function flushToken(apiToken: string, scope: string): string {
	return createHmac('sha256', apiToken).update(`whatsable-trigger-flush:${scope}`).digest('base64url');
}

async function apiTokenOf(ctx: IWebhookFunctions): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return String(credentials.apiToken ?? '');
}

/**
 * Never throws: any header is outsider input. Reads the credential only when the header is
 * there, so deliveries pay nothing for it.
 */
export async function isFlushRequest(
	ctx: IWebhookFunctions,
	header: unknown,
	scope: string,
): Promise<boolean> {
	if (typeof header !== 'string' || header === '') return false;
	try {
		const apiToken = await apiTokenOf(ctx);
		if (apiToken === '') return false;
		// Lengths compared in bytes, as timingSafeEqual needs.
		const given = Buffer.from(header, 'utf8');
		const expected = Buffer.from(flushToken(apiToken, scope), 'utf8');
		return given.length === expected.length && timingSafeEqual(given, expected);
	} catch {
		return false;
	}
}

export function scheduleFlush(
	ctx: IWebhookFunctions,
	scope: string,
	url: string,
	packWindow: () => string,
): void {
	const running = inFlight.get(scope);
	if (running) {
		// Deliveries during a flush get one more flush, sent with the newest context, URL and window.
		Object.assign(running, { again: true, ctx, url, packWindow });
		return;
	}
	const state: FlushState = { again: false, ctx, url, packWindow };
	inFlight.set(scope, state);
	void (async () => {
		try {
			do {
				state.again = false;
				// The pause lets a burst of deliveries share one flush: each flush is a full webhook
				// request with a database write, so under load they must stay rare.
				await sleep(FLUSH_DELAY_MS);
				try {
					const apiToken = await apiTokenOf(state.ctx);
					if (apiToken === '') return;
					const body: FlushBody = { seen: state.packWindow() };
					await state.ctx.helpers.httpRequest({
						method: 'POST',
						url: state.url,
						headers: { [FLUSH_HEADER]: flushToken(apiToken, scope) },
						body,
						json: true,
						timeout: 5_000,
						ignoreHttpStatusErrors: true,
					});
				} catch {
					// Unreachable own URL: the window still holds in this process's memory and is
					// persisted by the next delivery here that starts no execution.
				}
			} while (state.again);
		} finally {
			inFlight.delete(scope);
		}
	})();
}
