import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { describeStatus, WhatsAbleApiError } from './apiError';
import { DEFAULT_RETRY_POLICY, nextDelay, parseRetryAfter, pause, type RetryPolicy } from './retry';
import {
	parseWebhookRecord,
	settingsOf,
	type WebhookRecord,
	type WebhookSettings,
} from './webhookRecord';

export const CREDENTIAL_TYPE = 'whatsAbleWebhooksApi';
const DEV_WEBHOOKS = '/api:qh9OQ3OW/webhook/dev';
const REQUEST_TIMEOUT_MS = 8_000;

export type ApiContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

interface CallOptions {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** What the call is for, in words a user reads in the error ("create the webhook"). */
	what: string;
	retry?: RetryPolicy;
	/** Statuses handed back to the caller instead of becoming errors. */
	accept?: number[];
}

/** The part of the credential the transport needs; the token itself stays with n8n's auth. */
async function connection(ctx: ApiContext): Promise<{ baseUrl: string; origin: string }> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const origin = String(credentials.consoleOrigin ?? '').trim();
	return { baseUrl: baseUrl || 'https://api.insightssystem.com', origin };
}

function networkError(ctx: ApiContext, error: unknown, what: string): WhatsAbleApiError {
	// Only the error code is used: the raw error can carry request config, headers included.
	const code =
		error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
			? error.code
			: 'no answer';
	return new WhatsAbleApiError(
		ctx.getNode(),
		'network',
		null,
		`Could not reach the WhatsAble API (${code}) while trying to ${what}`,
		'Check the API Base URL in the credential and that this n8n instance can reach it.',
	);
}

/** One API call with bounded retries on 429 (honouring Retry-After), 5xx and network errors. */
async function call(ctx: ApiContext, options: CallOptions): Promise<ApiResponse> {
	const { baseUrl, origin } = await connection(ctx);
	const policy = options.retry ?? DEFAULT_RETRY_POLICY;
	const request: IHttpRequestOptions = {
		method: options.method,
		url: `${baseUrl}${options.path}`,
		headers: {
			Accept: 'application/json',
			...(origin ? { Origin: origin } : {}),
		},
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (options.body) request.body = options.body;

	const startedAt = Date.now();
	for (let attempt = 1; ; attempt++) {
		let response: ApiResponse | null = null;
		let failure: WhatsAbleApiError;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				request,
			)) as ApiResponse;
		} catch (error) {
			response = null;
			failure = networkError(ctx, error, options.what);
		}
		if (response) {
			const status = Number(response.statusCode);
			if ((status >= 200 && status < 300) || options.accept?.includes(status)) return response;
			failure = describeStatus(ctx.getNode(), status, response.body, options.what);
			if (status !== 429 && status < 500) throw failure;
		}
		const retryAfter = response
			? parseRetryAfter(response.headers?.['retry-after'], Date.now())
			: null;
		const delay = nextDelay(policy, attempt, startedAt, Date.now(), retryAfter);
		if (delay === null) throw failure!;
		await pause(delay);
	}
}

function expectRecord(ctx: ApiContext, body: unknown, what: string): WebhookRecord {
	const record = parseWebhookRecord(body);
	if (!record) {
		throw new WhatsAbleApiError(
			ctx.getNode(),
			'invalid-response',
			null,
			`WhatsAble answered with something that is not a webhook record while trying to ${what}`,
			'The API Base URL may point at the wrong service.',
		);
	}
	return record;
}

export async function createWebhook(
	ctx: ApiContext,
	settings: WebhookSettings,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const what = 'create the webhook';
	const response = await call(ctx, {
		method: 'POST',
		path: `${DEV_WEBHOOKS}/create`,
		body: { ...settings },
		what,
		retry,
	});
	return expectRecord(ctx, response.body, what);
}

export async function listWebhooks(ctx: ApiContext, retry?: RetryPolicy): Promise<WebhookRecord[]> {
	const what = 'list the webhooks';
	const response = await call(ctx, { method: 'GET', path: DEV_WEBHOOKS, what, retry });
	const body = response.body;
	if (!Array.isArray(body)) {
		throw new WhatsAbleApiError(
			ctx.getNode(),
			'invalid-response',
			null,
			`WhatsAble answered with something that is not a list while trying to ${what}`,
			'The API Base URL may point at the wrong service.',
		);
	}
	return body.map(parseWebhookRecord).filter((r): r is WebhookRecord => r !== null);
}

export async function findWebhook(
	ctx: ApiContext,
	id: number,
	retry?: RetryPolicy,
): Promise<WebhookRecord | null> {
	const records = await listWebhooks(ctx, retry);
	return records.find((r) => r.id === id) ?? null;
}

/** The API has no single-record GET and PATCH needs the whole record: fetch, merge, send. */
export async function updateWebhook(
	ctx: ApiContext,
	id: number,
	changes: Partial<WebhookSettings>,
	retry?: RetryPolicy,
): Promise<WebhookRecord> {
	const what = `update webhook ${id}`;
	const current = await findWebhook(ctx, id, retry);
	if (!current) throw describeStatus(ctx.getNode(), 404, undefined, what);
	const merged: WebhookSettings = { ...settingsOf(current), ...changes };
	if (!merged.schedule_activity) merged.waiting_duration = 0;
	const response = await call(ctx, {
		method: 'PATCH',
		path: `${DEV_WEBHOOKS}/${id}`,
		body: { ...merged },
		what,
		retry,
	});
	// Some API versions answer a PATCH with an empty body: fall back to what was sent.
	return parseWebhookRecord(response.body) ?? { ...current, ...merged, signature_secret: null };
}

export type DeleteOutcome = 'deleted' | 'already-gone';

export async function deleteWebhook(
	ctx: ApiContext,
	id: number,
	options: { allowMissing?: boolean; retry?: RetryPolicy } = {},
): Promise<DeleteOutcome> {
	const what = `delete webhook ${id}`;
	const response = await call(ctx, {
		method: 'DELETE',
		path: `${DEV_WEBHOOKS}/${id}`,
		what,
		retry: options.retry,
		accept: [404],
	});
	if (response.statusCode !== 404) return 'deleted';
	if (options.allowMissing) return 'already-gone';
	throw describeStatus(ctx.getNode(), 404, response.body, what);
}
