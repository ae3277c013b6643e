import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { sealingKeysOf } from '../shared/session';
import { MAX_PACKED_CHARS, packedKeys, type DedupeWindow } from './dedupe';
import { checkFlushProof, flushProof } from './flushProof';
import { processState, type FlushState } from './processState';

/*
 * n8n 2.41.1 (regular and queue mode: measured) does not save static data written
 * by a delivery that starts an execution, but it does save it for one that starts none. So after
 * deliveries ran, the trigger sends itself a small "flush" request (one per burst, about one every
 * two seconds under load) that starts no execution and carries this process's duplicate window;
 * whichever n8n process receives it (a load balancer picks one in queue mode) merges the window
 * into its own and saves it.
 *
 * Ids are held out of every saved copy until SETTLE_MS after n8n answered the delivery, by when
 * n8n has queued their execution: were a process killed in between, WhatsAble's retry, answered
 * by another process, must not read as a duplicate of a run that never happened.
 *
 * n8n saves static data as one whole column, last writer wins, so one process's save can hide
 * another's. The answer to a flush lists the ids the saved copy lacked when it arrived; the
 * sender re-flushes until none it saved before is missing (bounded), so a lost write is repaired
 * within a few seconds.
 *
 * The header proves the request comes from the trigger (flushProof.ts: an HMAC under the
 * credential's sealing key over the scope, the time and the exact body, each accepted once). A
 * request whose proof does not check out, or whose body is larger than a window can be, is not a
 * flush: it is judged as a delivery.
 */
export const FLUSH_HEADER = 'x-whatsable-trigger-flush';
/** After n8n's answer, before an id may be saved: n8n 1.x answers just before queueing. */
export const SETTLE_MS = 1000;
/**
 * The pause before each flush, so that under load a process sends at most about one flush per
 * trigger in this time: each is a webhook request that costs n8n about as much as a delivery
 * (measured at 100 ms, in queue mode at 8 deliveries per second: 95 flushes per 1,000 deliveries).
 */
export const FLUSH_DELAY_MS = 2000;
/** Before re-reading what a flush saved: longer than a concurrent request's load-to-save time. */
export const CONFIRM_DELAY_MS = 1000;
/** Confirm or repair rounds after the last new id, so a failing own URL cannot loop for ever. */
export const MAX_CONFIRM_ROUNDS = 5;

/** The body of a flush: the sender's packed duplicate window. */
export interface FlushBody {
	seen?: unknown;
}

/** The answer to a flush: the sent keys the saved copy lacked (now saved by this flush). */
export interface FlushAnswer {
	status: 'flushed';
	missing: string[];
}

/** A flush body can hold one whole window and no more (MAX_PACKED_CHARS, plus its JSON). */
export const MAX_FLUSH_BODY_BYTES = MAX_PACKED_CHARS + 64;

/** The credential's sealing key (the pasted token before it has one): the same in every process. */
async function flushKeyOf(ctx: IWebhookFunctions): Promise<string> {
	const [key] = sealingKeysOf(await ctx.getCredentials(CREDENTIAL_TYPE));
	return key ?? '';
}

/**
 * Never throws: any header is outsider input. Reads the credential only when the header is
 * there, so deliveries pay nothing for it.
 */
export async function isFlushRequest(
	ctx: IWebhookFunctions,
	header: unknown,
	scope: string,
	rawBody: Buffer | undefined,
	now: number,
): Promise<boolean> {
	if (typeof header !== 'string' || header === '' || !rawBody) return false;
	if (rawBody.length > MAX_FLUSH_BODY_BYTES) return false;
	try {
		const proof = checkFlushProof(header, await flushKeyOf(ctx), scope, rawBody, now);
		return proof.ok && processState.seenFlushProofs.accept(proof.nonce, proof.at, now);
	} catch {
		return false;
	}
}

/**
 * What came of one flush: the keys the saved copy lacked; 'unreached' when the own URL could
 * not be reached (worth another try); 'gone' when something else answered, as n8n's 404 once the
 * workflow is unpublished (nothing left to save).
 */
type FlushOutcome = string[] | 'unreached' | 'gone';

function outcomeOf(answer: unknown): FlushOutcome {
	if (typeof answer !== 'object' || answer === null) return 'gone';
	const { status, missing } = answer as Partial<FlushAnswer>;
	if (status !== 'flushed' || !Array.isArray(missing)) return 'gone';
	return missing.filter((key): key is string => typeof key === 'string');
}

/*
 * A flush that cannot reach the trigger's own URL saves nothing: after a restart, deliveries that
 * already ran can run again. n8n's SSRF protection blocks it when WEBHOOK_URL resolves to a
 * blocked range (127/8 by default); so do split DNS and a missing hairpin NAT. Said once per
 * trigger per process, with the way out.
 */
const { unreachableLogged } = processState;

function unreachableReason(error: unknown): string {
	const name = error instanceof Error ? error.name : '';
	const message = error instanceof Error ? error.message : '';
	if (/ssrf/i.test(name) || /request was blocked because/i.test(message)) return "n8n's SSRF protection blocked it";
	const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
	return code ? `it failed with ${code}` : 'it failed';
}

function sayUnreachable(state: FlushState, scope: string, error: unknown): void {
	if (unreachableLogged.has(scope)) return;
	unreachableLogged.add(scope);
	state.ctx.logger.warn(
		`WhatsAble Trigger: could not send the request that saves its duplicate window to its own webhook URL ${state.url} (${unreachableReason(error)}). Until it can, a delivery that already ran may run again after an n8n restart. n8n must reach its own WEBHOOK_URL: with N8N_SSRF_PROTECTION_ENABLED=true, add that host to N8N_SSRF_ALLOWED_HOSTNAMES (or its address to N8N_SSRF_ALLOWED_IP_RANGES); with split DNS or no hairpin NAT, make WEBHOOK_URL resolve to an address this instance reaches.`,
	);
}

async function sendFlush(state: FlushState, scope: string, packed: string): Promise<FlushOutcome> {
	const flushKey = await flushKeyOf(state.ctx).catch(() => '');
	if (flushKey === '') return 'gone';
	const body: FlushBody = { seen: packed };
	const text = JSON.stringify(body);
	try {
		const answer: unknown = await state.ctx.helpers.httpRequest({
			method: 'POST',
			url: state.url,
			headers: { [FLUSH_HEADER]: flushProof(flushKey, scope, text, Date.now()), 'content-type': 'application/json' },
			body: text,
			json: true,
			timeout: 5_000,
			ignoreHttpStatusErrors: true,
		});
		return outcomeOf(answer);
	} catch (error) {
		// Unreachable own URL: the window still holds in this process's memory.
		sayUnreachable(state, scope, error);
		return 'unreached';
	}
}

async function flushLoop(state: FlushState, scope: string): Promise<void> {
	let rounds = 0;
	let confirming = false;
	do {
		state.again = false;
		await sleep(confirming ? CONFIRM_DELAY_MS : FLUSH_DELAY_MS);
		const packed = state.window.pack();
		const keys = new Set(packedKeys(packed));
		const outcome = await sendFlush(state, scope, packed);
		if (outcome === 'gone' && !state.again) return;
		const arrived = Array.isArray(outcome);
		const fresh = [...keys].some((key) => !state.sent.has(key));
		// A key this process had saved before and the saved copy lacks: another write hid it.
		const lost = !arrived || outcome.some((key) => state.sent.has(key));
		if (arrived) state.sent = keys;
		if (state.again) {
			rounds = 0;
			confirming = false;
		} else if ((fresh || lost) && rounds < MAX_CONFIRM_ROUNDS) {
			rounds++;
			confirming = true;
			state.again = true;
		}
	} while (state.again);
}

/** Sends a flush for this trigger scope soon, sharing one with any other delivery in the burst. */
export function scheduleFlush(ctx: IWebhookFunctions, scope: string, url: string, window: DedupeWindow): void {
	const known = processState.flushes.get(scope);
	if (known?.running) {
		// Deliveries during a flush get one more, sent with the newest context, URL and window.
		Object.assign(known, { again: true, ctx, url, window });
		return;
	}
	const state: FlushState = { running: true, again: false, ctx, url, window, sent: known?.sent ?? new Set() };
	processState.flushes.set(scope, state);
	void flushLoop(state, scope).finally(() => {
		state.running = false;
	});
}

/**
 * Holds the keys of an accepted delivery out of every saved copy until SETTLE_MS after n8n has
 * answered it (n8n 2.x answers only once the execution is queued; a fixed time after webhook()
 * returned was not enough under load), then flushes them (production only: a test listen's
 * window stays in memory). Node emits 'close' for every response, answered or abandoned; were it
 * never to come, the ids would stay held: caught here, never saved (a second run, never a loss).
 */
export function settleThenFlush(
	ctx: IWebhookFunctions,
	scope: string,
	url: string | undefined,
	window: DedupeWindow,
	keys: string[],
): void {
	processState.settling++;
	void answered(ctx)
		.then(async () => await sleep(SETTLE_MS))
		.then(() => {
			processState.settling--;
			window.release(keys);
			if (url) scheduleFlush(ctx, scope, url, window);
		});
}

/** Resolves when n8n has answered the request, or the connection closed without an answer. */
async function answered(ctx: IWebhookFunctions): Promise<void> {
	const res = ctx.getResponseObject();
	if (res.writableFinished || res.destroyed) return;
	await new Promise<void>((resolve) => res.once('close', () => resolve()));
}
