import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/api';
import { downloadAttachment } from './attachment';
import { persistWindow, windowFor } from './dedupe';
import { evaluateDelivery } from './deliveryVerdict';
import { FLUSH_HEADER, isFlushRequest, scheduleFlush, type FlushBody } from './flush';
import { parseJsonBody, toHistoryItems } from './payload/normalise';
import type { ConversationItem } from './payload/output';
import { MAX_OPENED_SECRETS, processState } from './processState';
import { kindOf, processSecrets, readRegistration } from './registrationState';
import { openSecret } from './secretBox';
import { markRunWrite, runWritesSaved } from './runWrites';
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

/** Secret order: the one captured at registration, this process's copy, the credential's. */
async function signatureSecret(ctx: IWebhookFunctions): Promise<string | undefined> {
	const sealed = readRegistration(ctx)?.sealedSecret;
	const cached = sealed ? openedSecrets.get(sealed) : undefined;
	if (cached) return cached;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	if (sealed) {
		const opened = openSecret(sealed, String(credentials.apiToken ?? ''));
		if (opened) {
			if (openedSecrets.size >= MAX_OPENED_SECRETS) openedSecrets.clear();
			openedSecrets.set(sealed, opened);
			return opened;
		}
	}
	const url = ctx.getNodeWebhookUrl('default');
	const remembered = url ? processSecrets.get(url) : undefined;
	if (remembered) return remembered;
	return String(credentials.signatureSecret ?? '') || undefined;
}

function outputItems(
	items: ConversationItem[],
	settings: TriggerSettings,
	parsed: unknown,
): INodeExecutionData[] {
	if (settings.output === 'raw') return [{ json: (parsed ?? {}) as IDataObject }];
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

/** The trigger's webhook(): n8n I/O around the pure evaluateDelivery. */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const settings = readSettings(this);
	const req = this.getRequestObject();
	const staticData = this.getWorkflowStaticData('node');
	const kind = kindOf(this);
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${kind}`;
	const window = windowFor(scope, staticData, receivedAt.getTime());
	const flushNeeded = !runWritesSaved(staticData);

	if (await isFlushRequest(this, req.headers[FLUSH_HEADER], scope)) {
		// The sender's window (possibly another process's) joins this one, and both are saved.
		window.mergePacked(flushBodyOf(this).seen, receivedAt.getTime());
		persistWindow(staticData, window);
		return answer(this, 200, { status: 'flushed' });
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
		case 'rejected':
			return answer(this, verdict.status, { status: 'rejected', reason: verdict.reason });
		case 'filtered':
			persistWindow(staticData, window);
			return answer(this, 200, { status: 'filtered', reason: verdict.reason });
		case 'duplicate':
			persistWindow(staticData, window);
			return answer(this, 200, { status: 'duplicate', eventId: verdict.eventId });
	}

	const out = outputItems(verdict.items, settings, verdict.parsed);
	await attachBinaries(this, verdict.items, out, settings);
	// Where n8n saves a run's static data the window goes with it; elsewhere (n8n 2.41.1, regular
	// and queue mode) packing it here would be wasted, and the flush carries it instead.
	markRunWrite(staticData);
	if (!flushNeeded) persistWindow(staticData, window);
	else if (kind === 'production') {
		const url = this.getNodeWebhookUrl('default');
		if (url) scheduleFlush(this, scope, url, () => window.pack());
	}
	return {
		workflowData: [out],
		webhookResponse: { status: 'accepted', eventIds: verdict.items.map((i) => i.eventId) },
	};
}
