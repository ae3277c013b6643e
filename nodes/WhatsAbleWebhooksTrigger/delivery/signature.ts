import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureScheme = 'auto' | 'hmac' | 'secret';

export type SignatureVerdict =
	| { ok: true; scheme: 'hmac' | 'secret' }
	| { ok: false; reason: string };

export interface VerifySignatureOptions {
	rawBody: Buffer | string;
	header: string | string[] | undefined;
	secret: string | undefined;
	scheme: SignatureScheme;
}

/** The 32 digest bytes of "<64 hex>" or "sha256=<64 hex>" (any case), else null. No regex: hot path. */
function hexDigest(given: string): Buffer | null {
	let hex = given;
	if (hex.length === 71 && hex.slice(0, 7).toLowerCase() === 'sha256=') hex = hex.slice(7);
	if (hex.length !== 64) return null;
	// Buffer.from stops at the first non-hex pair, so anything else comes out short.
	const bytes = Buffer.from(hex, 'hex');
	return bytes.length === 32 ? bytes : null;
}

// Both sides are hashed first so the comparison is always 32 bytes against 32 bytes: lengths
// neither leak through timing nor make timingSafeEqual throw.
function sameSecret(given: string, secret: string): boolean {
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(secret, 'utf8').digest();
	return timingSafeEqual(a, b);
}

function sameHmac(given: Buffer | null, secret: string, body: Buffer | string): boolean {
	if (!given) return false;
	const expected = createHmac('sha256', secret).update(body).digest();
	return timingSafeEqual(given, expected);
}

/** The header WhatsAble signs deliveries in (Node lower-cases header names). */
export const SIGNATURE_HEADER = 'x-webhook-signature';

/**
 * Checks X-Webhook-Signature. WhatsAble's documentation revisions disagree on what it holds (hex
 * HMAC-SHA256 of the raw body, or the secret itself), so 'auto' accepts either and the user can
 * pin one. Reasons are shown to the caller and never include the secret or the header value.
 */
export function verifySignature(opts: VerifySignatureOptions): SignatureVerdict {
	const secret = opts.secret?.trim();
	if (!secret) {
		return {
			ok: false,
			reason:
				'no signature secret is configured (recreate the webhook, or set the secret in the credential)',
		};
	}
	let header = opts.header;
	if (Array.isArray(header)) {
		if (header.length > 1) return { ok: false, reason: 'more than one X-Webhook-Signature header' };
		header = header[0];
	}
	const given = typeof header === 'string' ? header.trim() : '';
	if (given === '') return { ok: false, reason: 'missing X-Webhook-Signature header' };

	const scheme = opts.scheme;
	const digest = scheme === 'secret' ? null : hexDigest(given);
	if (scheme !== 'secret' && sameHmac(digest, secret, opts.rawBody)) {
		return { ok: true, scheme: 'hmac' };
	}
	if (scheme !== 'hmac' && sameSecret(given, secret)) return { ok: true, scheme: 'secret' };
	if (scheme === 'hmac' && !digest) {
		return { ok: false, reason: 'signature is not a hex HMAC-SHA256 digest' };
	}
	return { ok: false, reason: 'signature does not match' };
}
