import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/*
 * The webhook's signature secret is returned by WhatsAble once, and n8n keeps node static data
 * unencrypted, so the secret is stored sealed with a key derived from the credential's sealing key
 * (session.ts; the pasted token for secrets sealed by earlier versions).
 * Format: v1.<iv>.<tag>.<ciphertext>, each part base64url; AES-256-GCM, the version as AAD.
 */

const VERSION = 'v1';
const AAD = Buffer.from(VERSION, 'utf8');
const SALT = Buffer.from('n8n-nodes-whatsable-webhooks/secret-box', 'utf8');
const INFO = Buffer.from('webhook signature secret v1', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Keys derived from sealing keys (or tokens), by their SHA-256 (the material itself is never held). */
const keyCache = new Map<string, Buffer>();
export const MAX_DERIVED_KEYS = 16;

/** The ids (SHA-256 of the material) of the derived keys held, least recently used first. */
export function derivedKeyIds(): string[] {
	return [...keyCache.keys()];
}

/** Forgets every derived key, as a restart does. */
export function forgetDerivedKeys(): void {
	keyCache.clear();
}

function deriveKey(keyMaterial: string): Buffer {
	const id = createHash('sha256').update(keyMaterial, 'utf8').digest('hex');
	const cached = keyCache.get(id);
	if (cached) {
		// Re-inserting marks it most recently used.
		keyCache.delete(id);
		keyCache.set(id, cached);
		return cached;
	}
	const key = Buffer.from(hkdfSync('sha256', keyMaterial, SALT, INFO, 32));
	// Map keeps insertion order: dropping the first entry drops the least recently used.
	if (keyCache.size >= MAX_DERIVED_KEYS) {
		const oldest = keyCache.keys().next().value;
		if (oldest !== undefined) keyCache.delete(oldest);
	}
	keyCache.set(id, key);
	return key;
}

/** Encrypts `secret`; throws only when there is no key material to derive a key from. */
export function sealSecret(secret: string, keyMaterial: string): string {
	if (!keyMaterial) throw new Error('Cannot seal the signature secret without a key');
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', deriveKey(keyMaterial), iv);
	cipher.setAAD(AAD);
	const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
	const tag = cipher.getAuthTag();
	return [VERSION, iv, tag, ciphertext]
		.map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
		.join('.');
}

function decode(part: string, length?: number): Buffer | null {
	if (!B64URL.test(part)) return null;
	const bytes = Buffer.from(part, 'base64url');
	return length === undefined || bytes.length === length ? bytes : null;
}

/** The secret, or null for a wrong key, a tampered or malformed value; never throws. */
export function openSecret(sealed: string, keyMaterial: string): string | null {
	if (typeof sealed !== 'string' || typeof keyMaterial !== 'string' || !keyMaterial) return null;
	const parts = sealed.split('.');
	if (parts.length !== 4 || parts[0] !== VERSION) return null;
	const iv = decode(parts[1], IV_BYTES);
	const tag = decode(parts[2], TAG_BYTES);
	const ciphertext = decode(parts[3]);
	if (!iv || !tag || !ciphertext) return null;
	try {
		const decipher = createDecipheriv('aes-256-gcm', deriveKey(keyMaterial), iv, {
			authTagLength: TAG_BYTES,
		});
		decipher.setAAD(AAD);
		decipher.setAuthTag(tag);
		return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
	} catch {
		return null;
	}
}
