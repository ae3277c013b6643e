import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { asNodeError } from '../shared/apiError';
import { answer, answerRetry, answerUnverifiable } from './answers';
import { attachBinaries } from './attachments/attach';
import { holdInBurst } from './burst/hold';
import { FLUSH_HEADER, isFlushRequest, receiveFlush, settleThenFlush } from './dedupe/flush';
import { windowFor, persistWindow } from './dedupe/store';
import { SIGNATURE_HEADER } from './delivery/signature';
import { judgeDelivery, type DeliveryInput } from './delivery/verdict';
import type { HumanReply } from './delivery/pause';
import type { PauseBook } from './pause/book';
import { pausesFor, persistPauses } from './pause/store';
import { executionItems } from './payload/executionItems';
import { deliverySecret, resealStored } from './registration/signingSecret';
import { kindOf, mayWriteStaticData } from './registration/stored';
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
	const pauses = settings.humanPause ? pausesFor(scope, staticData, now) : undefined;

	if (
		request.rawBody &&
		(await isFlushRequest(this, request.flushHeader, scope, request.rawBody, now))
	) {
		// n8n saves the whole static-data column, and a copy loaded while a publish registers lacks
		// its record: such a copy is never written (registration/stored.ts).
		const writable = mayWriteStaticData(this);
		const flushed = receiveFlush(request.rawBody, { staticData, window, pauses, writable }, now);
		// A flush starts no execution, so n8n saves what it writes: the place to migrate the secret.
		if (writable) await resealStored(this);
		return answer(this, 200, { ...flushed });
	}

	const secret = settings.verifySignatures ? await deliverySecret(this) : undefined;
	const verdict = judgeDelivery(request, { settings, secret, seen: window, paused: pauses });
	if (verdict.kind === 'unverifiable') return answerUnverifiable(this, scope, now);
	if (verdict.kind === 'rejected') {
		return answer(this, verdict.status, { status: 'rejected', reason: verdict.reason });
	}
	recordReplies(pauses, verdict.replies, now);
	if (verdict.kind !== 'accepted') {
		// Starts no execution: n8n saves what is written here (never to a copy it must not save).
		if (mayWriteStaticData(this)) {
			persistWindow(staticData, window, now);
			if (pauses) persistPauses(staticData, pauses, now);
		}
		switch (verdict.kind) {
			case 'filtered':
				return answer(this, 200, { status: 'filtered', reason: verdict.reason });
			case 'duplicate':
				return answer(this, 200, { status: 'duplicate', eventId: verdict.eventId });
			case 'paused':
				return answer(this, 200, {
					status: 'paused',
					until: new Date(verdict.until).toISOString(),
				});
		}
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
	const settle = { pauses, answerMeansQueued: settings.respond === 'immediately' };
	let eventIds = verdict.items.map((i) => i.eventId);
	if (settings.burst) {
		// Wait for the Contact to Pause: this request stays open until the burst closes.
		const held = await holdInBurst(
			scope,
			{ ctx: this, part: { items: verdict.items, out }, keys },
			{
				bytes: request.rawBody?.length ?? 0,
				quietMs: settings.burst.quietMs,
				binaryProperty: settings.binaryProperty,
			},
		);
		if (held.kind === 'carried') {
			if (!held.ok) {
				window.forget(keys);
				return answerRetry(this);
			}
			settleThenFlush(this, scope, flushUrl, window, keys, settle);
			return answer(this, 200, { status: 'combined', eventIds, carriedBy: held.carriedBy });
		}
		out = [held.item];
		eventIds = held.eventIds;
	}
	settleThenFlush(this, scope, flushUrl, window, keys, settle);
	return {
		workflowData: [out],
		webhookResponse: { status: 'accepted', eventIds },
	};
}

function recordReplies(pauses: PauseBook | undefined, replies: HumanReply[], now: number): void {
	for (const reply of replies) pauses?.pause(reply.phone, reply.until, now);
}
