import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { asNodeError } from '../shared/apiError';
import { answer, answerUnverifiable } from './answers';
import { attachBinaries } from './attachments/attach';
import { FLUSH_HEADER, isFlushRequest, receiveFlush, settleThenFlush } from './dedupe/flush';
import { windowFor, persistWindow } from './dedupe/store';
import { SIGNATURE_HEADER } from './delivery/signature';
import { judgeDelivery, type DeliveryInput } from './delivery/verdict';
import { executionItems } from './payload/executionItems';
import { deliverySecret, resealStored } from './registration/signingSecret';
import { kindOf } from './registration/stored';
import { readSettings } from './settings';

function requestOf(
	ctx: IWebhookFunctions,
	receivedAt: Date,
): DeliveryInput & { flushHeader: unknown } {
	const req = ctx.getRequestObject();
	const { rawBody } = req as { rawBody?: unknown };
	return {
		method: req.method,
		contentType: req.headers['content-type'],
		rawBody: Buffer.isBuffer(rawBody)
			? rawBody
			: typeof rawBody === 'string'
				? Buffer.from(rawBody)
				: undefined,
		signatureHeader: req.headers[SIGNATURE_HEADER],
		flushHeader: req.headers[FLUSH_HEADER],
		receivedAt,
	};
}

/**
 * The trigger's webhook(): reads the request, asks the pure verdict (delivery/verdict.ts), commits
 * what it decided to the duplicate window, and answers or starts the workflow.
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = requestOf(this, new Date());
	const now = request.receivedAt.getTime();
	const settings = readSettings(this);
	const staticData = this.getWorkflowStaticData('node');
	const kind = kindOf(this);
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${kind}`;
	const window = windowFor(scope, staticData, now);

	if (
		request.rawBody &&
		(await isFlushRequest(this, request.flushHeader, scope, request.rawBody, now))
	) {
		const flushed = receiveFlush(request.rawBody, staticData, window, now);
		// A flush starts no execution, so n8n saves what it writes: the place to migrate the secret.
		await resealStored(this);
		return answer(this, 200, { ...flushed });
	}

	const secret = settings.verifySignatures ? await deliverySecret(this) : undefined;
	const verdict = judgeDelivery(request, { settings, secret, seen: window });
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

	// Recorded, but held out of saved copies until n8n has queued the execution (dedupe/flush.ts).
	// Nothing here writes static data: n8n 1.x saves such a write before answering, and in
	// Respond-to-Webhook mode ends the answer empty meanwhile (measured on 1.123.81).
	const { keys } = verdict;
	window.record(keys, now);
	window.hold(keys);
	let out: INodeExecutionData[];
	try {
		out = executionItems(verdict.items, settings, verdict.parsed);
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
