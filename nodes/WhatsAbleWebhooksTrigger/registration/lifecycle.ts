import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

import { asNodeError, isApiErrorKind, WhatsAbleApiError } from '../../shared/apiError';
import { CREDENTIAL_TYPE } from '../../shared/api';
import {
	createWebhook,
	deleteListedWebhook,
	listWebhooks,
	updateWebhook,
} from '../../WhatsAbleWebhooks/actions/webhook/api';
import {
	settingsOf,
	type WebhookRecord,
	type WebhookSettings,
} from '../../WhatsAbleWebhooks/actions/webhook/record';
import { isPublicHost, parseUrl } from '../attachments/publicAddress';
import { desiredRegistration, readSettings } from '../settings';
import { processSecrets, resolveSecret, sealFor } from './signingSecret';
import {
	clearRegistration,
	markPublished,
	markPublishing,
	markUnpublished,
	readRegistration,
	writeRegistration,
	type StoredRegistration,
} from './stored';

/*
 * The registration lifecycle n8n drives: checkExists on publish (and test listen), create when it
 * says false, delete on unpublish. Invariant: while published exactly one registration exists at
 * our URL with our settings and we hold its secret; we never touch a registration at another URL.
 */

function ourUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n did not provide a webhook URL');
	return url;
}

async function credentialsOf(ctx: IHookFunctions) {
	return await ctx.getCredentials(CREDENTIAL_TYPE);
}

/**
 * Whether deliveries to a stored registration can be verified (registration/signingSecret.ts decides, as for
 * webhook()); a secret still sealed under the pasted token is moved under the sealing key.
 */
async function canVerify(ctx: IHookFunctions, stored: StoredRegistration | null): Promise<boolean> {
	const resolution = resolveSecret(await credentialsOf(ctx), stored, undefined);
	if (resolution.found && resolution.resealed && stored) {
		writeRegistration(ctx, { ...stored, sealedSecret: resolution.resealed });
	}
	return resolution.found;
}

function desired(ctx: IHookFunctions): WebhookSettings {
	return desiredRegistration(ctx, readSettings(ctx), ourUrl(ctx));
}

function sameSettings(record: WebhookRecord, want: WebhookSettings): boolean {
	const have = settingsOf(record);
	return (Object.keys(want) as Array<keyof WebhookSettings>).every((k) => have[k] === want[k]);
}

/** Deletes a registration read from the account's own list (or just created by us). */
async function remove(ctx: IHookFunctions, record: WebhookRecord): Promise<void> {
	await deleteListedWebhook(ctx, record);
}

/** Deletes every registration at exactly `url`: ours by URL, never anyone else's. */
async function removeAllAt(ctx: IHookFunctions, url: string): Promise<void> {
	const records = await listWebhooks(ctx);
	for (const r of records.filter((rec) => rec.webhooks === url)) await remove(ctx, r);
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	markPublishing(this);
	const exists = await registrationExists.call(this);
	// When false, n8n calls create next, which marks the publish done.
	if (exists) markPublished(this);
	return exists;
}

async function registrationExists(this: IHookFunctions): Promise<boolean> {
	const want = desired(this);
	const stored = readRegistration(this);
	const records = await listWebhooks(this);

	if (stored) {
		const remote = records.find((r) => r.id === stored.id);
		if (!remote) {
			// Deleted in the dashboard (or never made it): n8n calls create next.
			clearRegistration(this);
			return false;
		}
		const secretLost = want.active_signature && !(await canVerify(this, stored));
		if (secretLost || (want.active_signature && !remote.active_signature)) {
			// Without the secret deliveries cannot be verified; only a new registration gives one.
			await remove(this, remote);
			clearRegistration(this);
			return false;
		}
		if (sameSettings(remote, want)) return true;
		try {
			await updateWebhook(this, remote.id, want);
		} catch (error) {
			if (!isApiErrorKind(error, 'duplicate-url')) throw asNodeError(this.getNode(), error);
			// Another registration already sits at our new URL: start clean, create adopts it.
			await remove(this, remote);
			clearRegistration(this);
			return false;
		}
		const current = readRegistration(this) ?? stored;
		writeRegistration(this, { ...current, url: want.webhooks, signed: want.active_signature });
		return true;
	}

	const orphan = records.find((r) => r.webhooks === want.webhooks);
	if (!orphan) return false;
	const adoptSigned =
		want.active_signature && orphan.active_signature && (await canVerify(this, null));
	if (want.active_signature && !adoptSigned) {
		// Ours by URL but we hold no secret for it (static data lost, imported workflow, crash).
		await remove(this, orphan);
		return false;
	}
	if (!sameSettings(orphan, want)) await updateWebhook(this, orphan.id, want);
	writeRegistration(this, {
		id: orphan.id,
		url: want.webhooks,
		sealedSecret: null,
		signed: want.active_signature,
		registeredAt: new Date().toISOString(),
	});
	return true;
}

/** Best effort after a failed create: a create that timed out may still have been made. */
async function cleanUpAfterFailedCreate(ctx: IHookFunctions, url: string): Promise<void> {
	try {
		await removeAllAt(ctx, url);
	} catch {
		// The API is failing anyway; the next publish's checkExists removes what is left.
	}
}

/** WhatsAble cannot reach these; registering still works (and the sandbox needs it). */
export function unreachableReason(url: string): string | null {
	const parsed = parseUrl(url);
	if (!parsed) return 'is not a valid URL';
	if (!isPublicHost(parsed.hostname)) {
		return 'points at this machine or a private network (localhost, a private address or a local name)';
	}
	if (parsed.protocol !== 'https:') return 'is not HTTPS';
	return null;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	markPublishing(this);
	const want = desired(this);
	const unreachable = unreachableReason(want.webhooks);
	if (unreachable) {
		this.logger.warn(
			`WhatsAble Trigger: the webhook URL ${unreachable}; WhatsAble delivers only to public HTTPS URLs. Set n8n's WEBHOOK_URL to its public https address.`,
		);
	}
	let record: WebhookRecord;
	try {
		record = await createWebhook(this, want);
	} catch (error) {
		if (isApiErrorKind(error, 'duplicate-url')) {
			// A registration we have no record of sits at our URL: it is ours, replace it.
			await cleanUpAfterFailedCreate(this, want.webhooks);
			record = await createWebhook(this, want);
		} else {
			if (
				error instanceof WhatsAbleApiError &&
				['server', 'network', 'invalid-response'].includes(error.kind)
			) {
				await cleanUpAfterFailedCreate(this, want.webhooks);
			}
			throw asNodeError(this.getNode(), error);
		}
	}

	let sealedSecret: string | null = null;
	if (want.active_signature) {
		const secret = record.signature_secret;
		if (!secret) {
			await remove(this, record);
			throw new NodeOperationError(this.getNode(), 'WhatsAble did not return a signature secret', {
				description:
					'The webhook was created with signing on but no secret came back, so deliveries could not be verified. It was deleted again. Try publishing again, or turn off "Verify Signatures".',
			});
		}
		// Read after the create call: n8n's preAuthentication may just have made the sealing key.
		sealedSecret = sealFor(secret, await credentialsOf(this));
		if (!sealedSecret) {
			await remove(this, record);
			throw new NodeOperationError(
				this.getNode(),
				'The credential has no key to keep the signing secret with',
				{
					description:
						'The webhook was deleted again. Test the WhatsAble Webhooks credential (it then creates its key), and publish again.',
				},
			);
		}
		processSecrets.remember(want.webhooks, secret);
	}
	writeRegistration(this, {
		id: record.id,
		url: want.webhooks,
		sealedSecret,
		signed: want.active_signature,
		registeredAt: new Date().toISOString(),
	});
	markPublished(this);
	return true;
}

export async function deleteRegistration(this: IHookFunctions): Promise<boolean> {
	const stored = readRegistration(this);
	const url = ourUrl(this);
	// Only what the account's own list shows: the id we registered, at the URL we registered it
	// at, and whatever sits at our URL (test listens whose static data never saw create, a
	// registration re-made by another copy of the workflow). Never an id alone (actions/webhook/api.ts).
	const records = await listWebhooks(this);
	const ours = records.filter(
		(r) =>
			r.webhooks === url || (stored !== null && r.id === stored.id && r.webhooks === stored.url),
	);
	for (const record of ours) await remove(this, record);
	clearRegistration(this);
	markUnpublished(this);
	processSecrets.forget(url);
	if (stored && stored.url !== url) processSecrets.forget(stored.url);
	return true;
}

export const registrationLifecycle = {
	checkExists,
	create,
	delete: deleteRegistration,
};
