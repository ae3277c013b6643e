import { isFlushRequest } from '../../nodes/WhatsAbleWebhooksTrigger/flush';

// The nonce is 24 random bytes in base64url: 32 characters, 32 bytes.
const NONCE_CHARS = 32;

describe('isFlushRequest (outsider input: must never throw)', () => {
	it.each([
		['one non-ASCII character at the nonce length', 'é' + 'a'.repeat(NONCE_CHARS - 1)],
		['only multi-byte characters at the nonce length', '€'.repeat(NONCE_CHARS)],
		['an emoji at the nonce length', '😀' + 'a'.repeat(NONCE_CHARS - 2)],
		['a NUL byte at the nonce length', '\u0000'.repeat(NONCE_CHARS)],
		['ASCII at the nonce length', 'a'.repeat(NONCE_CHARS)],
		['an empty header', ''],
		['a long header', 'x'.repeat(16_000)],
	])('refuses %s without throwing', (_, header) => {
		expect(() => isFlushRequest(header)).not.toThrow();
		expect(isFlushRequest(header)).toBe(false);
	});

	it.each([[undefined], [['a', 'b']], [42]])(
		'refuses a header that is not one string (%p)',
		(header) => {
			expect(isFlushRequest(header)).toBe(false);
		},
	);
});
