import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The proof that a flush request comes from the trigger itself (flush.ts), pure: an HMAC under the
 * credential's sealing key over the trigger's scope, the time it was made, a nonce and the SHA-256
 * of the exact body. A captured flush is good for FLUSH_PROOF_VALIDITY_MS only, for its own body
 * only, and once only in a process (SeenProofs); a replay on another process within that time
 * carries the same genuine window, which merging again changes nothing.
 */
const VERSION = 'f2';
/** A flush is sent the moment it is made; this covers clocks a little apart between processes. */
export const FLUSH_PROOF_VALIDITY_MS = 60_000;
const NONCE_BYTES = 12;
const PROOF = /^f2\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

export type ProofCheck = { ok: true; nonce: string; at: number } | { ok: false; reason: string };

function mac(key: string, scope: string, at: number, nonce: string, body: Buffer | string): string {
	const bodyHash = hash('sha256', body, 'hex');
	return createHmac('sha256', key)
		.update(`whatsable-trigger-flush:${VERSION}:${scope}:${at}:${nonce}:${bodyHash}`)
		.digest('base64url');
}

/** The flush header for `body`, made at `now`. */
export function flushProof(
	key: string,
	scope: string,
	body: Buffer | string,
	now: number,
	nonce: string = randomBytes(NONCE_BYTES).toString('base64url'),
): string {
	return `${VERSION}.${now.toString(36)}.${nonce}.${mac(key, scope, now, nonce, body)}`;
}

/** Whether `header` proves `body` is a flush of this scope made within the validity; never throws. */
export function checkFlushProof(
	header: unknown,
	key: string,
	scope: string,
	body: Buffer,
	now: number,
): ProofCheck {
	if (typeof header !== 'string' || key === '') return { ok: false, reason: 'no proof' };
	const m = PROOF.exec(header);
	if (!m) return { ok: false, reason: 'malformed proof' };
	const at = parseInt(m[1], 36);
	if (!Number.isSafeInteger(at) || Math.abs(now - at) > FLUSH_PROOF_VALIDITY_MS) {
		return { ok: false, reason: 'expired proof' };
	}
	const given = Buffer.from(m[3], 'utf8');
	const expected = Buffer.from(mac(key, scope, at, m[2], body), 'utf8');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		return { ok: false, reason: 'wrong proof' };
	}
	return { ok: true, nonce: m[2], at };
}

/** The nonces of proofs this process accepted while they are valid: each is accepted once. */
export class SeenProofs {
	private readonly seen = new Map<string, number>();

	constructor(private readonly max = 10_000) {}

	/** Records the nonce; false when it was seen already (a replay). */
	accept(nonce: string, at: number, now: number): boolean {
		for (const [known, madeAt] of this.seen) {
			if (now - madeAt <= FLUSH_PROOF_VALIDITY_MS && this.seen.size < this.max) break;
			this.seen.delete(known);
		}
		if (this.seen.has(nonce)) return false;
		this.seen.set(nonce, at);
		return true;
	}
}
