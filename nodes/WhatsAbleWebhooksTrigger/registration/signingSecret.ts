import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/api';
import { sealingKeysOf } from '../../shared/session';
import { readRegistration, writeRegistration, type StoredRegistration } from './stored';
import { forgetDerivedKeys, openSecret, sealSecret } from './secretBox';

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
	const handMade =
		typeof credentials.signatureSecret === 'string' ? credentials.signatureSecret : '';
	if (handMade.trim()) return { found: true, secret: handMade };
	return { found: false, lost: Boolean(sealed) };
}

/**
 * Secrets of registrations made by this process, by URL. n8n may hand `webhook()` a copy of the
 * static data that predates `create()` (test listens), so the process keeps its own copy too.
 */
const secretsByUrl = new Map<string, string>();

export const processSecrets = {
	remember(url: string, secret: string): void {
		secretsByUrl.set(url, secret);
	},
	get(url: string): string | undefined {
		return secretsByUrl.get(url);
	},
	forget(url: string): void {
		secretsByUrl.delete(url);
	},
};

/** Opened secrets by their sealed form, so that a delivery decrypts nothing. */
const openedSecrets = new Map<string, string>();
const MAX_OPENED_SECRETS = 256;

/** The secret that verifies this trigger's deliveries, opened once per process. */
export async function deliverySecret(ctx: IWebhookFunctions): Promise<string | undefined> {
	const stored = readRegistration(ctx);
	const sealed = stored?.sealedSecret;
	const cached = sealed ? openedSecrets.get(sealed) : undefined;
	if (cached) return cached;
	const url = ctx.getNodeWebhookUrl('default');
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const resolution = resolveSecret(credentials, stored, url ? secretsByUrl.get(url) : undefined);
	if (!resolution.found) return undefined;
	// Not cached while it still needs resealing, so that the next flush moves it (resealStored).
	if (sealed && !resolution.resealed) {
		if (openedSecrets.size >= MAX_OPENED_SECRETS) openedSecrets.clear();
		openedSecrets.set(sealed, resolution.secret);
	}
	return resolution.secret;
}

/**
 * Moves a secret still sealed under the pasted token under the credential's sealing key. Called
 * where n8n saves what the trigger writes: a request that starts no execution (a flush).
 */
export async function resealStored(ctx: IWebhookFunctions): Promise<void> {
	const stored = readRegistration(ctx);
	if (!stored?.sealedSecret) return;
	const opened = openSealed(stored.sealedSecret, await ctx.getCredentials(CREDENTIAL_TYPE));
	if (opened?.resealed) writeRegistration(ctx, { ...stored, sealedSecret: opened.resealed });
}

/** Forgets every secret this process opened, registered or derived a key for, as a restart does. */
export function forgetProcessSecrets(): void {
	secretsByUrl.clear();
	openedSecrets.clear();
	forgetDerivedKeys();
}
