import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { asNodeError } from '../shared/apiError';
import { ATTACHMENT_DEADLINE_MS, downloadAttachment } from './attachment';
import { AttachmentBudget, DELIVERY_ATTACHMENT_FACTOR } from './attachmentBudget';
import { DedupeWindow, persistWindow, windowFor } from './dedupe';
import { evaluateDelivery } from './deliveryVerdict';
import { FLUSH_HEADER, isFlushRequest, settleThenFlush, type FlushAnswer, type FlushBody } from './flush';
import { parseJsonBody, toHistoryItems } from './payload/normalise';
import type { ConversationItem } from './payload/output';
import { rawItemJson } from './payload/rawItem';
import { MAX_OPENED_SECRETS, processState } from './processState';
import { kindOf, processSecrets, readRegistration, writeRegistration } from './registrationState';
import { openSealed, resolveSecret } from './signingSecret';
import { readSettings, type TriggerSettings } from './settings';

/** Answers without starting an execution; n8n then saves the static data written so far. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const { rawBody } = ctx.getRequestObject() as { rawBody?: unknown };
	if (Buffer.isBuffer(rawBody)) return rawBody;
	if (typeof rawBody === 'string') return Buffer.from(rawBody);
	return undefined;
}

function flushBodyOf(ctx: IWebhookFunctions): FlushBody {
	const parsed = parseJsonBody(rawBodyOf(ctx)?.toString('utf8') ?? '');
	return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null
		? (parsed.value as FlushBody)
		: {};
}

const { openedSecrets } = processState;

/** The secret that verifies this trigger's deliveries (signingSecret.ts), opened once per process. */
async function signatureSecret(ctx: IWebhookFunctions): Promise<string | undefined> {
	const stored = readRegistration(ctx);
	const sealed = stored?.sealedSecret;
	const cached = sealed ? openedSecrets.get(sealed) : undefined;
	if (cached) return cached;
	const url = ctx.getNodeWebhookUrl('default');
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const resolution = resolveSecret(credentials, stored, url ? processSecrets.get(url) : undefined);
	if (!resolution.found) return undefined;
	// Not cached while it still needs resealing, so that the next flush moves it (resealStored).
	if (sealed && !resolution.resealed) {
		if (openedSecrets.size >= MAX_OPENED_SECRETS) openedSecrets.clear();
		openedSecrets.set(sealed, resolution.secret);
	}
	return resolution.secret;
}

/** Moves a secret still sealed under the pasted token under the credential's sealing key. */
async function resealStored(ctx: IWebhookFunctions): Promise<void> {
	const stored = readRegistration(ctx);
	if (!stored?.sealedSecret) return;
	const opened = openSealed(stored.sealedSecret, await ctx.getCredentials(CREDENTIAL_TYPE));
	if (opened?.resealed) writeRegistration(ctx, { ...stored, sealedSecret: opened.resealed });
}

/*
 * Without a secret no delivery can be verified: a 401 would make WhatsAble give up and lose the
 * messages, so the answer is a 503 it retries, and n8n's log says what to do, at most once per
 * trigger in this time however many requests come.
 */
const UNVERIFIABLE_LOG_INTERVAL_MS = 10 * 60 * 1000;
const UNVERIFIABLE_RETRY_AFTER_S = 60;
export const UNVERIFIABLE_REASON =
	'the trigger has no signing secret to verify deliveries with; republish the workflow to register anew';
const { unverifiableLoggedAt } = processState;

function answerUnverifiable(ctx: IWebhookFunctions, scope: string, now: number): IWebhookResponseData {
	const last = unverifiableLoggedAt.get(scope);
	if (last === undefined || now - last >= UNVERIFIABLE_LOG_INTERVAL_MS) {
		unverifiableLoggedAt.set(scope, now);
		ctx.logger.warn(
			`WhatsAble Trigger in workflow "${ctx.getWorkflow().name ?? ctx.getWorkflow().id}": deliveries cannot be verified because the trigger's signing secret is gone (the credential's sealing key was replaced, or the registration was made elsewhere). Deliveries are answered 503 so WhatsAble retries them. Unpublish and publish the workflow again: that registers a new webhook with a new secret.`,
		);
	}
	ctx.getResponseObject().setHeader('Retry-After', String(UNVERIFIABLE_RETRY_AFTER_S));
	return answer(ctx, 503, { status: 'unverifiable', reason: UNVERIFIABLE_REASON });
}

function outputItems(
	items: ConversationItem[],
	settings: TriggerSettings,
	parsed: unknown,
): INodeExecutionData[] {
	if (settings.output === 'raw') return [{ json: rawItemJson(parsed) as IDataObject }];
	if (settings.output === 'history') {
		return items.flatMap((item) =>
			toHistoryItems(item).map((h) => ({ json: h as unknown as IDataObject })),
		);
	}
	return items.map((item) => ({
		json: (settings.includeRawPayload ? { ...item, raw: parsed } : item) as unknown as IDataObject,
	}));
}

async function attachBinaries(
	ctx: IWebhookFunctions,
	items: ConversationItem[],
	out: INodeExecutionData[],
	settings: TriggerSettings,
): Promise<void> {
	if (!settings.downloadAttachment || settings.output !== 'message') return;
	const perFile = settings.maxAttachmentBytes;
	const budget = new AttachmentBudget(perFile * DELIVERY_ATTACHMENT_FACTOR, Date.now() + ATTACHMENT_DEADLINE_MS);
	const budgetName = `what is left of this delivery's ${budget.totalBytes} byte budget for all its attachments`;
	await Promise.all(
		items.map(async (item, i) => {
			const url = item.message.mediaUrl;
			if (!url) return;
			const result = await budget.run(perFile, async (grant) => {
				const download = await downloadAttachment(ctx, url, {
					type: item.message.type,
					maxBytes: grant.maxBytes,
					deadlineMs: grant.deadlineMs,
					limitName: grant.limitedByBudget ? budgetName : undefined,
					sha256: item.message.sha256,
				});
				return { result: download, usedBytes: download.ok ? download.bytes : 0 };
			});
			if (result === 'over-budget') {
				out[i].json.attachmentError = `not downloaded: this delivery's attachments already take its ${budget.totalBytes} byte budget`;
			} else if (result === 'past-deadline') {
				out[i].json.attachmentError = `not downloaded: this delivery's attachments did not finish within ${ATTACHMENT_DEADLINE_MS / 1000} seconds`;
			} else if (result.ok) {
				out[i].binary = { [settings.binaryProperty]: result.binary };
			} else {
				out[i].json.attachmentError = result.error;
			}
		}),
	);
}

/** The trigger's webhook(): n8n I/O around the pure evaluateDelivery. */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const settings = readSettings(this);
	const req = this.getRequestObject();
	const staticData = this.getWorkflowStaticData('node');
	const kind = kindOf(this);
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${kind}`;
	const now = receivedAt.getTime();
	const window = windowFor(scope, staticData, now);

	if (await isFlushRequest(this, req.headers[FLUSH_HEADER], scope, rawBodyOf(this), now)) {
		// The sender's window (possibly another process's) joins this one, and both are saved.
		const sent = flushBodyOf(this).seen;
		const missing = DedupeWindow.missingFrom(sent, staticData.seen, now);
		window.mergePacked(sent, now);
		persistWindow(staticData, window, now);
		// A flush starts no execution, so n8n saves what it writes: the place to migrate the secret.
		await resealStored(this);
		const flushed: FlushAnswer = { status: 'flushed', missing };
		return answer(this, 200, flushed as unknown as IDataObject);
	}

	const verdict = evaluateDelivery(
		{
			method: req.method,
			contentType: req.headers['content-type'],
			rawBody: rawBodyOf(this),
			signatureHeader: req.headers['x-webhook-signature'],
			receivedAt,
		},
		{
			settings,
			secret: settings.verifySignatures ? await signatureSecret(this) : undefined,
			window,
		},
	);

	switch (verdict.kind) {
		case 'unverifiable':
			return answerUnverifiable(this, scope, now);
		case 'rejected':
			return answer(this, verdict.status, { status: 'rejected', reason: verdict.reason });
		case 'filtered':
			persistWindow(staticData, window, now);
			return answer(this, 200, { status: 'filtered', reason: verdict.reason });
		case 'duplicate':
			persistWindow(staticData, window, now);
			return answer(this, 200, { status: 'duplicate', eventId: verdict.eventId });
	}

	// Held out of saved copies until n8n has queued the execution (flush.ts). Nothing here
	// writes static data: n8n 1.x saves such a write before answering, and in Respond-to-Webhook
	// mode ends the answer empty meanwhile (measured on 1.123.81).
	const { keys } = verdict;
	window.hold(keys);
	let out: INodeExecutionData[];
	try {
		out = outputItems(verdict.items, settings, verdict.parsed);
		await attachBinaries(this, verdict.items, out, settings);
	} catch (error) {
		// n8n answers 500 and runs nothing: WhatsAble's retry must not read as a duplicate.
		window.forget(keys);
		throw asNodeError(this.getNode(), error);
	}
	const flushUrl = kind === 'production' ? this.getNodeWebhookUrl('default') : undefined;
	settleThenFlush(this, scope, flushUrl, window, keys);
	return {
		workflowData: [out],
		webhookResponse: { status: 'accepted', eventIds: verdict.items.map((i) => i.eventId) },
	};
}
