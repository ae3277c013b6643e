/**
 * The one signing helper of the dev code: the hex HMAC-SHA256 of the body keyed by the secret
 * (UTF-8), which is what WhatsAble sends in `x-webhook-signature`. Written out here rather than
 * taken from the sandbox's `signatureFor`, because test/sandbox checks that signer against this.
 */
import { createHmac } from 'node:crypto';

export function hmacHex(body: Buffer | string, secret: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}
