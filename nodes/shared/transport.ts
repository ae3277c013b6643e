/** The generic WhatsAble API transport: credential, Origin, retries, error meanings. */
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
import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './api';

const REQUEST_TIMEOUT_MS = 8_000;

export type ApiContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions;

export interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface ApiRequestOptions {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** What the call is for, in words a user reads in the error ("create the webhook"). */
	what: string;
	retry?: RetryPolicy;
	/** Statuses handed back to the caller instead of becoming errors. */
	accept?: number[];
}

interface Connection {
	baseUrl: string;
	origin: string;
	/** Redacted from every error text built from an answer (n8n's auth sends the token itself). */
	secrets: string[];
}

/** The part of the credential the transport needs. */
async function connection(ctx: ApiContext): Promise<Connection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	const origin = String(credentials.consoleOrigin ?? '').trim();
	const secrets = [credentials.apiToken, credentials.signatureSecret].map((s) => String(s ?? ''));
	return { baseUrl: baseUrl || DEFAULT_BASE_URL, origin, secrets };
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

/**
 * One WhatsAble API call, authenticated by n8n with the credential, with bounded retries on 429
 * (honouring Retry-After), 5xx and network errors; other failures become a WhatsAbleApiError.
 */
export async function apiRequest(
	ctx: ApiContext,
	options: ApiRequestOptions,
): Promise<ApiResponse> {
	const { baseUrl, origin, secrets } = await connection(ctx);
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
			failure = describeStatus(ctx.getNode(), status, response.body, options.what, secrets);
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
