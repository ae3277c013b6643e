import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { sealingKeysOf } from '../shared/session';
import type { StoredRegistration } from './registrationState';
import { openSecret, sealSecret } from './secretBox';

/*
 * The ONE answer to "which secret verifies deliveries to this trigger", used by webhook() and by
 * the registration lifecycle alike. Sources, in order: the secret sealed at registration (opened
 * with the credential's sealing key, or with the pasted token it was sealed with before the key
 * existed), this process's copy of a secret it registered, the credential's hand-made secret.
 */

type Credentials = ICredentialDataDecryptedObject;

export type SecretResolution =
	| {
			found: true;
			secret: string;
			/** The sealed form under the credential's sealing key, when the stored one is not. */
			resealed?: string;
	  }
	/** `lost`: a secret was sealed but no key opens it and no other source has one. */
	| { found: false; lost: boolean };

/** Opens a sealed secret with whichever of the credential's keys sealed it. */
export function openSealed(
	sealed: string,
	credentials: Credentials,
): { secret: string; resealed?: string } | null {
	const keys = sealingKeysOf(credentials);
	for (const [index, key] of keys.entries()) {
		const secret = openSecret(sealed, key);
		if (secret === null) continue;
		// Opened with the pasted token: move it under the sealing key, which never rotates.
		const sealingKey = typeof credentials.sealingKey === 'string' ? credentials.sealingKey : '';
		if (index > 0 && sealingKey) return { secret, resealed: sealSecret(secret, sealingKey) };
		return { secret };
	}
	return null;
}

/** Seals a new secret under the credential's first key; null when the credential has none. */
export function sealFor(secret: string, credentials: Credentials): string | null {
	const [key] = sealingKeysOf(credentials);
	return key ? sealSecret(secret, key) : null;
}

export function resolveSecret(
	credentials: Credentials,
	stored: Pick<StoredRegistration, 'sealedSecret'> | null,
	processCopy: string | undefined,
): SecretResolution {
	const sealed = stored?.sealedSecret;
	const opened = sealed ? openSealed(sealed, credentials) : null;
	if (opened) return { found: true, ...opened };
	if (processCopy) return { found: true, secret: processCopy };
	const handMade = typeof credentials.signatureSecret === 'string' ? credentials.signatureSecret : '';
	if (handMade.trim()) return { found: true, secret: handMade };
	return { found: false, lost: Boolean(sealed) };
}
