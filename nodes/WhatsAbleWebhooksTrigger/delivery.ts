import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/transport';
import { downloadAttachment } from './attachment';
import { dedupeKey, persistWindow, windowFor } from './dedupe';
import { filterReason } from './filters';
import { FLUSH_HEADER, isFlushRequest, scheduleFlush } from './flush';
import { normalise, parseJsonBody, toHistoryItems } from './payload/normalise';
import type { ConversationItem } from './payload/schemas';
import { kindOf, processSecrets, readRegistration } from './registrationState';
import { openSecret } from './secretBox';
import { readSettings, type TriggerSettings } from './settings';
import { verifySignature } from './signature';

type Answer = { status: number; body: IDataObject };

/** Answers without starting an execution; n8n then saves static data written so far. */
function answer(ctx: IWebhookFunctions, { status, body }: Answer): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

const reject = (status: number, reason: string): Answer => ({
	status,
	body: { status: 'rejected', reason },
});

function header(ctx: IWebhookFunctions, name: string): string | string[] | undefined {
	return ctx.getRequestObject().headers[name];
}

/** Method, content type and body presence: what can be refused before any work. */
function checkRequest(ctx: IWebhookFunctions, raw: Buffer | undefined): Answer | null {
	const req = ctx.getRequestObject();
	if (req.method !== 'POST') return reject(405, 'only POST is accepted');
	const type = String(req.headers['content-type'] ?? '').toLowerCase();
	if (!/^application\/([\w.+-]+\+)?json\b/.test(type)) {
		return reject(415, 'the body must be JSON (Content-Type: application/json)');
	}
	if (!raw || raw.length === 0) return reject(400, 'the body is empty');
	return null;
}

function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const req = ctx.getRequestObject() as { rawBody?: unknown; body?: unknown };
	if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
	if (typeof req.rawBody === 'string') return Buffer.from(req.rawBody);
	return undefined;
}

/** Secret order: ours from registration, else this process's copy, else the credential's. */
async function signatureSecret(ctx: IWebhookFunctions): Promise<string | undefined> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const stored = readRegistration(ctx);
	if (stored?.sealedSecret) {
		const opened = openSecret(stored.sealedSecret, String(credentials.apiToken ?? ''));
		if (opened) return opened;
	}
	const url = ctx.getNodeWebhookUrl('default');
	const remembered = url ? processSecrets.get(url) : undefined;
	if (remembered) return remembered;
	const fromCredential = String(credentials.signatureSecret ?? '');
	return fromCredential || undefined;
}

function outputItems(
	items: ConversationItem[],
	settings: TriggerSettings,
	parsed: unknown,
): INodeExecutionData[] {
	if (settings.output === 'raw') return [{ json: (parsed ?? {}) as IDataObject }];
	if (settings.output === 'history') {
		return items.flatMap((item) => toHistoryItems(item).map((h) => ({ json: h as unknown as IDataObject })));
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
	await Promise.all(
		items.map(async (item, i) => {
			const url = item.message.mediaUrl;
			if (!url) return;
			const result = await downloadAttachment(ctx, url, {
				type: item.message.type,
				maxBytes: settings.maxAttachmentBytes,
				sha256: item.message.sha256,
			});
			if (result.ok) out[i].binary = { [settings.binaryProperty]: result.binary };
			else out[i].json.attachmentError = result.error;
		}),
	);
}

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const settings = readSettings(this);
	const staticData = this.getWorkflowStaticData('node');
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${kindOf(this)}`;

	if (isFlushRequest(header(this, FLUSH_HEADER))) {
		persistWindow(staticData, windowFor(scope, staticData, receivedAt.getTime()));
		return answer(this, { status: 200, body: { status: 'flushed' } });
	}

	const raw = rawBodyOf(this);
	const refused = checkRequest(this, raw);
	if (refused) return answer(this, refused);
	const rawBody = raw as Buffer;

	if (settings.verifySignatures) {
		const verdict = verifySignature({
			rawBody,
			header: header(this, 'x-webhook-signature'),
			secret: await signatureSecret(this),
			scheme: settings.signatureScheme,
		});
		if (!verdict.ok) return answer(this, reject(401, verdict.reason));
	}

	const parsed = parseJsonBody(rawBody.toString('utf8'));
	if (!parsed.ok) return answer(this, reject(400, parsed.reason));

	const { items } = normalise(parsed.value, { rawBody, receivedAt });
	const now = receivedAt.getTime();
	const window = windowFor(scope, staticData, now);

	const reasons: string[] = [];
	const passing = items.filter((item) => {
		const reason = filterReason(item, settings);
		if (reason) reasons.push(reason);
		return reason === null;
	});
	if (passing.length === 0) {
		persistWindow(staticData, window);
		return answer(this, { status: 200, body: { status: 'filtered', reason: reasons[0] ?? 'no message' } });
	}

	const fresh = passing.filter((item) => window.checkAndRecord(dedupeKey(item.eventId), now));
	if (fresh.length === 0) {
		persistWindow(staticData, window);
		return answer(this, {
			status: 200,
			body: { status: 'duplicate', eventId: passing[0].eventId },
		});
	}

	const out = outputItems(fresh, settings, parsed.value);
	await attachBinaries(this, fresh, out, settings);

	if (kindOf(this) === 'production') {
		const url = this.getNodeWebhookUrl('default');
		if (url) scheduleFlush(this, scope, url);
	}
	return {
		workflowData: [out],
		webhookResponse: { status: 'accepted', eventIds: fresh.map((i) => i.eventId) },
	};
}
