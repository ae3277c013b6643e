import { sleep, type IDataObject, type IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { answeredStatus } from '../answers';
import { sealingKeysOf } from '../../shared/session';
import { parseJsonBody } from '../payload/json';
import { checkFlushProof, flushProof, SeenProofs } from './flushProof';
import type { PauseBook } from '../pause/book';
import { persistPauses } from '../pause/store';
import { persistWindow } from './store';
import { DedupeWindow, MAX_PACKED_CHARS, packedKeys } from './window';

/*
 * n8n 2.41.1 (regular and queue mode: measured) does not save static data written
 * by a delivery that starts an execution, but it does save it for one that starts none. So after
 * deliveries ran, the trigger sends itself a small "flush" request (one per burst, about one every
 * two seconds under load) that starts no execution and carries this process's duplicate window;
 * whichever n8n process receives it (a load balancer picks one in queue mode) merges the window
 * into its own and saves it.
 *
 * Ids are held out of every saved copy until `flushTimings.settleMs` after n8n answered the delivery, by when
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
/**
 * The flush's delays, in one object so tests can shorten them (the defaults are what production
 * needs; see each).
 */
export const flushTimings = {
	/** After n8n's answer, before an id may be saved: n8n 1.x answers just before queueing. */
	settleMs: 1000,
	/**
	 * The pause before each flush, so that under load a process sends at most about one flush per
	 * trigger in this time: each is a webhook request that costs n8n about as much as a delivery
	 * (measured at 100 ms, in queue mode at 8 deliveries per second: 95 flushes per 1,000 deliveries).
	 */
	flushDelayMs: 2000,
	/** Before re-reading what a flush saved: longer than a concurrent request's load-to-save time. */
	confirmDelayMs: 1000,
};
/** Confirm or repair rounds after the last new id, so a failing own URL cannot loop for ever. */
export const MAX_CONFIRM_ROUNDS = 5;

/** The flushes of one trigger scope. */
interface FlushState {
	/** A flush loop is under way. */
	running: boolean;
	/** Deliveries arrived during the current flush: one more follows. */
	again: boolean;
	ctx: IWebhookFunctions;
	url: string;
	/** The window to send, packed at sending time. */
	window: DedupeWindow;
	/** The human pauses to send along, when that option is on. */
	pauses: PauseBook | undefined;
	/** The keys the last flush that arrived carried: what this process saved. */
	sent: Set<string>;
}

/** This process's flushes by trigger scope. */
const flushes = new Map<string, FlushState>();
/** Flush proofs accepted while valid, so that each is accepted once. */
const seenProofs = new SeenProofs();
/** Accepted deliveries whose keys are still held out of saved copies. */
let settling = 0;

/** The body of a flush: the sender's packed duplicate window, and its pauses. */
export interface FlushBody {
	seen?: unknown;
	paused?: unknown;
}

/**
 * The answer to a flush: the sent keys the saved copy lacked (now saved by this flush); or
 * 'unsaved' when the copy it loaded could not be written (try again).
 */
export type FlushAnswer = { status: 'flushed'; missing: string[] } | { status: 'unsaved' };

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
		return proof.ok && seenProofs.accept(proof.nonce, proof.at, now);
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
	const { status, missing } = answer as { status?: unknown; missing?: unknown };
	if (status === 'unsaved') return 'unreached';
	if (status !== 'flushed' || !Array.isArray(missing)) return 'gone';
	return missing.filter((key): key is string => typeof key === 'string');
}

/*
 * A flush that cannot reach the trigger's own URL saves nothing: after a restart, deliveries that
 * already ran can run again. n8n's SSRF protection blocks it when WEBHOOK_URL resolves to a
 * blocked range (127/8 by default); so do split DNS and a missing hairpin NAT. Said once per
 * trigger per process, with the way out.
 */
const unreachableLogged = new Set<string>();

function unreachableReason(error: unknown): string {
	const name = error instanceof Error ? error.name : '';
	const message = error instanceof Error ? error.message : '';
	if (/ssrf/i.test(name) || /request was blocked because/i.test(message))
		return "n8n's SSRF protection blocked it";
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
	const body: FlushBody = { seen: packed, paused: state.pauses?.pack(Date.now()) };
	const text = JSON.stringify(body);
	try {
		const answer: unknown = await state.ctx.helpers.httpRequest({
			method: 'POST',
			url: state.url,
			headers: {
				[FLUSH_HEADER]: flushProof(flushKey, scope, text, Date.now()),
				'content-type': 'application/json',
			},
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
		await sleep(confirming ? flushTimings.confirmDelayMs : flushTimings.flushDelayMs);
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
export function scheduleFlush(
	ctx: IWebhookFunctions,
	scope: string,
	url: string,
	window: DedupeWindow,
	pauses?: PauseBook,
): void {
	const known = flushes.get(scope);
	if (known?.running) {
		// Deliveries during a flush get one more, sent with the newest context, URL and window.
		Object.assign(known, { again: true, ctx, url, window, pauses });
		return;
	}
	const state: FlushState = {
		running: true,
		again: false,
		ctx,
		url,
		window,
		pauses,
		sent: known?.sent ?? new Set(),
	};
	flushes.set(scope, state);
	void flushLoop(state, scope).finally(() => {
		state.running = false;
	});
}

/**
 * Holds the keys of an accepted delivery out of every saved copy until `flushTimings.settleMs` after n8n has
 * answered it (n8n 2.x answers only once the execution is queued; a fixed time after webhook()
 * returned was not enough under load), then flushes them (production only: a test listen's
 * window stays in memory). Node emits 'close' for every response, answered or abandoned; were it
 * never to come, the ids would stay held: caught here, never saved (a second run, never a loss).
 * With `answerMeansQueued` (Respond Immediately: n8n answers 2xx once it queued the execution),
 * an answer that is not a whole 2xx means nothing ran: the ids are forgotten, so WhatsAble's
 * resend runs.
 */
export function settleThenFlush(
	ctx: IWebhookFunctions,
	scope: string,
	url: string | undefined,
	window: DedupeWindow,
	keys: string[],
	more: { pauses?: PauseBook; answerMeansQueued?: boolean } = {},
): void {
	settling++;
	void answeredStatus(ctx).then(async (status) => {
		if (more.answerMeansQueued && (status === null || status >= 300)) {
			settling--;
			window.forget(keys);
			return;
		}
		await sleep(flushTimings.settleMs);
		settling--;
		window.release(keys);
		if (url) scheduleFlush(ctx, scope, url, window, more.pauses);
	});
}

/** What a flush merges into and saves: this process's memory of the trigger, and the loaded copy. */
export interface FlushTarget {
	staticData: IDataObject;
	window: DedupeWindow;
	pauses: PauseBook | undefined;
	/** False when the loaded copy must not be written (handler.ts says when). */
	writable: boolean;
}

/**
 * Merges a flush's window and pauses (possibly another process's) into this one's and saves
 * them; the answer lists the sent keys the saved copy lacked.
 */
export function receiveFlush(rawBody: Buffer, target: FlushTarget, now: number): FlushAnswer {
	const parsed = parseJsonBody(rawBody.toString('utf8'));
	const body: FlushBody =
		parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {};
	const { staticData, window, pauses } = target;
	window.mergePacked(body.seen, now);
	pauses?.mergePacked(body.paused, now);
	if (!target.writable) return { status: 'unsaved' };
	const missing = DedupeWindow.missingFrom(body.seen, staticData.seen, now);
	persistWindow(staticData, window, now);
	if (pauses) persistPauses(staticData, pauses, now);
	return { status: 'flushed', missing };
}

/** Whether a flush is pending or under way in this process (tests wait for none before stopping). */
export function flushWorkPending(): boolean {
	return settling > 0 || [...flushes.values()].some((f) => f.running);
}

/** Forgets every flush this process made or logged, as a restart does. */
export function forgetFlushes(): void {
	flushes.clear();
	unreachableLogged.clear();
}
