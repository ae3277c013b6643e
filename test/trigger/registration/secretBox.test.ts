import { createHash, randomBytes } from 'node:crypto';

import {
	derivedKeyIds,
	MAX_DERIVED_KEYS,
	openSecret,
	sealSecret,
} from '../../../nodes/WhatsAbleWebhooksTrigger/registration/secretBox';

/** What the derived-key cache holds (ids are SHA-256 hex of key material) and its bound. */
function keyCacheState(): { ids: string[]; max: number } {
	return { ids: derivedKeyIds(), max: MAX_DERIVED_KEYS };
}

const SECRET = randomBytes(128).toString('base64url');
// Stands in for the credential's API token.
const TOKEN = `token-${randomBytes(24).toString('base64url')}`;

function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Flips one character of a base64url part, keeping it valid base64url. */
function flip(part: string, at = 0): string {
	const c = part[at] === 'A' ? 'B' : 'A';
	return part.slice(0, at) + c + part.slice(at + 1);
}

describe('sealSecret / openSecret', () => {
	it('round-trips the secret', () => {
		expect(openSecret(sealSecret(SECRET, TOKEN), TOKEN)).toBe(SECRET);
	});

	it('round-trips empty and non-ASCII secrets', () => {
		for (const secret of ['', 'päss 🔑 wörd', 'x'.repeat(5000)]) {
			expect(openSecret(sealSecret(secret, TOKEN), TOKEN)).toBe(secret);
		}
	});

	it('writes v1.<iv>.<tag>.<ciphertext> in base64url with a 12-byte IV and 16-byte tag', () => {
		const sealed = sealSecret(SECRET, TOKEN);
		const parts = sealed.split('.');
		expect(parts).toHaveLength(4);
		expect(parts[0]).toBe('v1');
		for (const part of parts.slice(1)) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(Buffer.from(parts[1], 'base64url')).toHaveLength(12);
		expect(Buffer.from(parts[2], 'base64url')).toHaveLength(16);
		expect(Buffer.from(parts[3], 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
	});

	it('uses a fresh IV each time', () => {
		const a = sealSecret(SECRET, TOKEN);
		const b = sealSecret(SECRET, TOKEN);
		expect(a).not.toBe(b);
		expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
	});

	it('never contains the secret or the key material, in any common encoding', () => {
		const sealed = sealSecret(SECRET, TOKEN);
		for (const text of [SECRET, TOKEN]) {
			expect(sealed).not.toContain(text.slice(0, 16));
			expect(sealed).not.toContain(Buffer.from(text).toString('base64url').slice(0, 16));
			expect(sealed).not.toContain(Buffer.from(text).toString('hex').slice(0, 16));
		}
	});

	it('returns null for a wrong key', () => {
		const sealed = sealSecret(SECRET, TOKEN);
		expect(openSecret(sealed, `${TOKEN}x`)).toBeNull();
		expect(openSecret(sealed, 'another-token')).toBeNull();
		expect(openSecret(sealed, '')).toBeNull();
	});

	it('returns null when any part is tampered with', () => {
		const [version, iv, tag, ciphertext] = sealSecret(SECRET, TOKEN).split('.');
		const tampered = [
			['v2', iv, tag, ciphertext],
			[version, flip(iv), tag, ciphertext],
			[version, iv, flip(tag, 3), ciphertext],
			[version, iv, tag, flip(ciphertext, 10)],
			[version, iv, tag, ciphertext.slice(0, -2)],
			[version, iv, tag, `${ciphertext}AA`],
			[version, tag, iv, ciphertext],
		];
		for (const parts of tampered) expect(openSecret(parts.join('.'), TOKEN)).toBeNull();
	});

	it.each([
		'',
		'v1',
		'v1...',
		'v1.a.b.c',
		'v1.!!!!.????.====',
		'not sealed at all',
		`v1.${'A'.repeat(16)}.${'A'.repeat(22)}.${'A'.repeat(10)}`,
		`v1.${'A'.repeat(16)}.${'A'.repeat(22)}.${'A'.repeat(10)}.extra`,
	])('returns null for garbage %j', (garbage) => {
		expect(openSecret(garbage, TOKEN)).toBeNull();
	});

	it('returns null, not an exception, for values of the wrong type', () => {
		expect(openSecret(undefined as unknown as string, TOKEN)).toBeNull();
		expect(openSecret(sealSecret(SECRET, TOKEN), null as unknown as string)).toBeNull();
	});

	it('refuses to seal without key material', () => {
		expect(() => sealSecret(SECRET, '')).toThrow('without a key');
	});
});

describe('derived key cache', () => {
	it('keys entries by SHA-256 of the key material, never the material itself', () => {
		const token = `cache-probe-${randomBytes(8).toString('hex')}`;
		sealSecret(SECRET, token);
		const { ids } = keyCacheState();
		expect(ids).toContain(sha256Hex(token));
		for (const id of ids) {
			expect(id).toMatch(/^[0-9a-f]{64}$/);
			expect(id).not.toContain(token);
		}
	});

	it('reuses one cache entry for every open with the same key material', () => {
		const token = `reuse-${randomBytes(8).toString('hex')}`;
		const sealed = sealSecret(SECRET, token);
		const before = keyCacheState().ids.length;
		for (let i = 0; i < 50; i++) expect(openSecret(sealed, token)).toBe(SECRET);
		expect(keyCacheState().ids.length).toBe(before);
		expect(keyCacheState().ids.filter((id) => id === sha256Hex(token))).toHaveLength(1);
	});

	it('stays bounded and evicts the least recently used key', () => {
		const { max } = keyCacheState();
		const keep = `keep-${randomBytes(8).toString('hex')}`;
		const sealed = sealSecret(SECRET, keep);
		const evicted = `evicted-${randomBytes(8).toString('hex')}`;
		sealSecret(SECRET, evicted);
		for (let i = 0; i < max - 1; i++) {
			// Touch `keep` so it stays recently used while other tokens push older ones out.
			expect(openSecret(sealed, keep)).toBe(SECRET);
			sealSecret(SECRET, `filler-${i}-${randomBytes(4).toString('hex')}`);
		}
		const { ids } = keyCacheState();
		expect(ids).toHaveLength(max);
		expect(ids).toContain(sha256Hex(keep));
		expect(ids).not.toContain(sha256Hex(evicted));
		// An evicted key is derived again on demand: still opens correctly.
		expect(openSecret(sealSecret(SECRET, evicted), evicted)).toBe(SECRET);
	});
});
