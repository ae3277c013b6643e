import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** Answers without starting an execution; n8n then saves the static data written so far. */
export function answer(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
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
/** When each trigger scope last logged that it cannot verify deliveries. */
const unverifiableLoggedAt = new Map<string, number>();

export function answerUnverifiable(
	ctx: IWebhookFunctions,
	scope: string,
	now: number,
): IWebhookResponseData {
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

/** Forgets when each trigger last logged, as a restart does. */
export function forgetUnverifiableLog(): void {
	unverifiableLoggedAt.clear();
}

/**
 * The status n8n answered the request with, once it has; null when the connection closed
 * without a whole answer (whether the execution was queued is then unknown).
 */
export async function answeredStatus(ctx: IWebhookFunctions): Promise<number | null> {
	const res = ctx.getResponseObject();
	if (!res.writableFinished && !res.destroyed) {
		await new Promise<void>((resolve) => res.once('close', () => resolve()));
	}
	return res.writableFinished ? res.statusCode : null;
}

/** A held delivery whose burst's execution could not be started: WhatsAble must send it again. */
export function answerRetry(ctx: IWebhookFunctions): IWebhookResponseData {
	ctx.getResponseObject().setHeader('Retry-After', '1');
	return answer(ctx, 503, {
		status: 'retry',
		reason: 'the execution that was to carry this message could not be started; send it again',
	});
}
