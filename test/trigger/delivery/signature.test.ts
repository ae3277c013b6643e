import { createHmac, randomBytes } from 'node:crypto';

import {
	verifySignature,
	type VerifySignatureOptions,
} from '../../../nodes/WhatsAbleWebhooksTrigger/delivery/signature';

const refused = (reason: string) => ({ ok: false, reason });
const accepted = (scheme: string) => ({ ok: true, scheme });

// The newest docs show a 171-character base64url secret (1024 random bits).
const SECRET = randomBytes(128).toString('base64url');
const BODY = Buffer.from('{"phone_number":"14155552671","last_message_of_user":"hola 👋"}');
const HMAC = createHmac('sha256', SECRET).update(BODY).digest('hex');

function verify(overrides: Partial<VerifySignatureOptions>) {
	return verifySignature({
		rawBody: BODY,
		header: HMAC,
		secret: SECRET,
		scheme: 'auto',
		...overrides,
	});
}

describe('verifySignature', () => {
	it('uses a 171-character secret like the one WhatsAble returns', () => {
		expect(SECRET).toHaveLength(171);
	});

	describe('hmac scheme', () => {
		it.each([
			['bare hex', HMAC],
			['upper-case hex', HMAC.toUpperCase()],
			['sha256= prefix', `sha256=${HMAC}`],
			['SHA256= prefix, upper-case', `SHA256=${HMAC.toUpperCase()}`],
			['surrounding spaces', `  ${HMAC} `],
		])('accepts %s', (_name, header) => {
			expect(verify({ header, scheme: 'hmac' })).toEqual({ ok: true, scheme: 'hmac' });
			expect(verify({ header, scheme: 'auto' })).toEqual({ ok: true, scheme: 'hmac' });
		});

		it('accepts the body as a string, hashed as UTF-8', () => {
			expect(verify({ rawBody: BODY.toString('utf8') })).toEqual({ ok: true, scheme: 'hmac' });
		});

		it('rejects a tampered body', () => {
			const tampered = Buffer.from(BODY.toString('utf8').replace('1415', '1416'));
			expect(verify({ rawBody: tampered })).toEqual(refused('signature does not match'));
		});

		it('rejects a digest made with another secret', () => {
			const other = createHmac('sha256', 'another-secret').update(BODY).digest('hex');
			expect(verify({ header: other })).toEqual({ ok: false, reason: 'signature does not match' });
		});

		it('rejects a truncated or padded digest', () => {
			for (const header of [HMAC.slice(0, 63), `${HMAC}0`, `sha256:${HMAC}`]) {
				expect(verify({ header })).toEqual({ ok: false, reason: 'signature does not match' });
			}
		});

		it('rejects 64 characters that are not all hex', () => {
			for (const header of [
				'g'.repeat(64),
				`${HMAC.slice(0, 63)}g`,
				`sha256=${HMAC.slice(0, 62)} 0`,
			]) {
				expect(verify({ header })).toEqual({ ok: false, reason: 'signature does not match' });
				expect(verify({ header, scheme: 'hmac' })).toEqual(
					refused('signature is not a hex HMAC-SHA256 digest'),
				);
			}
		});

		it('refuses the shared-secret form when pinned to hmac', () => {
			expect(verify({ header: SECRET, scheme: 'hmac' })).toEqual(
				refused('signature is not a hex HMAC-SHA256 digest'),
			);
		});
	});

	describe('secret scheme', () => {
		it('accepts the secret itself', () => {
			expect(verify({ header: SECRET, scheme: 'secret' })).toEqual({ ok: true, scheme: 'secret' });
			expect(verify({ header: SECRET, scheme: 'auto' })).toEqual({ ok: true, scheme: 'secret' });
		});

		it('does not depend on the body', () => {
			expect(verify({ header: SECRET, rawBody: 'anything' })).toEqual(accepted('secret'));
		});

		it('refuses an HMAC when pinned to secret', () => {
			expect(verify({ header: HMAC, scheme: 'secret' })).toEqual(
				refused('signature does not match'),
			);
		});

		it('rejects a different, shorter, longer or differently-cased value', () => {
			for (const header of [
				SECRET.slice(0, -1),
				`${SECRET}x`,
				SECRET.toUpperCase(),
				randomBytes(128).toString('base64url'),
			]) {
				expect(verify({ header, scheme: 'secret' })).toEqual(refused('signature does not match'));
			}
		});
	});

	describe('header and secret problems', () => {
		it.each([
			['missing', undefined],
			['empty', ''],
			['blank', '   '],
			['an empty list', []],
		])('rejects a %s header', (_name, header) => {
			expect(verify({ header })).toEqual(refused('missing X-Webhook-Signature header'));
		});

		it('accepts a single-value list and rejects several values', () => {
			expect(verify({ header: [HMAC] })).toEqual({ ok: true, scheme: 'hmac' });
			expect(verify({ header: [HMAC, HMAC] })).toEqual(
				refused('more than one X-Webhook-Signature header'),
			);
		});

		it.each([undefined, '', '  '])('refuses when no secret is configured (%j)', (secret) => {
			const result = verify({ secret });
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toMatch(/^no signature secret is configured/);
		});
	});

	it('never puts the secret or the header value in a reason', () => {
		const headers = [
			SECRET.slice(0, -1),
			`${SECRET}x`,
			`sha256=${'ab'.repeat(32)}`,
			'not-a-signature-at-all',
			[SECRET, 'other-value'],
		];
		for (const scheme of ['auto', 'hmac', 'secret'] as const) {
			for (const header of headers) {
				const result = verify({ header, scheme });
				expect(result.ok).toBe(false);
				if (result.ok) continue;
				const values = Array.isArray(header) ? header : [header];
				for (const value of [SECRET, ...values]) {
					expect(result.reason).not.toContain(value);
					expect(result.reason).not.toContain(value.slice(0, 12));
				}
				expect(result.reason.length).toBeLessThan(120);
			}
		}
	});
});
