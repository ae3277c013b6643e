import { randomBytes } from 'node:crypto';

import type { IWebhookFunctions } from 'n8n-workflow';

import type { DedupeWindow } from './dedupe';
import { SeenProofs } from './flushProof';

/*
 * Everything the trigger keeps in process memory, in one place. None of it is needed for
 * correctness after a restart (static data holds the persisted copies); it spares work per
 * delivery, or bridges what n8n's static data does not (yet) show this process.
 */

/** The flushes of one trigger scope (see flush.ts). */
export interface FlushState {
	/** A flush loop is under way. */
	running: boolean;
	/** Deliveries arrived during the current flush: one more follows. */
	again: boolean;
	ctx: IWebhookFunctions;
	url: string;
	/** The window to send, packed at sending time. */
	window: DedupeWindow;
	/** The keys the last flush that arrived carried: what this process saved. */
	sent: Set<string>;
}

export const processState = {
	/** This process among the n8n processes sharing one database (random per start). */
	id: randomBytes(12).toString('base64url'),
	/** Opened signature secrets by their sealed form: a delivery decrypts nothing. */
	openedSecrets: new Map<string, string>(),
	/** Secrets of registrations this process made, by URL (test listens may see older static data). */
	secretsByUrl: new Map<string, string>(),
	/** Duplicate windows by trigger scope (workflow, node, production or test). */
	windows: new Map<string, DedupeWindow>(),
	/** Flush state by trigger scope. */
	flushes: new Map<string, FlushState>(),
	/** Flush proofs accepted while valid, so that each is accepted once (flushProof.ts). */
	seenFlushProofs: new SeenProofs(),
	/** Trigger scopes whose flush could not reach their URL, already said in the log (flush.ts). */
	unreachableLogged: new Set<string>(),
	/** Accepted deliveries whose keys are still held out of saved copies (flush.ts). */
	settling: 0,
	/** When each trigger scope last logged that it cannot verify deliveries (webhookHandler.ts). */
	unverifiableLoggedAt: new Map<string, number>(),
	/** Keys derived from sealing keys (or tokens), by their SHA-256 (the material itself is never held). */
	derivedKeys: new Map<string, Buffer>(),
};

/** Bounds of the maps that grow with the number of triggers or tokens. */
export const MAX_OPENED_SECRETS = 256;
export const MAX_DERIVED_KEYS = 16;
