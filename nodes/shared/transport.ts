/** The generic WhatsAble API transport: credential, Origin, retries, error meanings. */
import { NodeApiError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { asNodeError, describeStatus, WhatsAbleApiError, type ResourceErrors } from './apiError';
import { DEFAULT_RETRY_POLICY, nextDelay, parseRetryAfter, pause, type RetryPolicy } from './retry';
import { CREDENTIAL_TYPE, REQUEST_TIMEOUT_MS } from './api';
import { errorCodeOf } from './readers';
import {
	authMethodOf,
	baseUrlOf,
	credentialSecretsOf,
	originOf,
	sessionErrorIn,
	type AuthMethod,
} from './session';

export type ApiContext =
	| IExecuteFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IWebhookFunctions;

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
	/** What the resource's own refusals mean (its "not found", its duplicates). */
	errors?: ResourceErrors;
}

interface Connection {
	baseUrl: string;
	origin: string;
	method: AuthMethod;
	/** Redacted from every error text built from an answer (n8n's auth sends the token itself). */
	secrets: string[];
}

/** The part of the credential the transport needs. */
async function connection(ctx: ApiContext): Promise<Connection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	return {
		baseUrl: baseUrlOf(credentials),
		origin: originOf(credentials),
		method: authMethodOf(credentials),
		secrets: credentialSecretsOf(credentials),
	};
}

/** A login that failed inside n8n's preAuthentication, as an API error that says what to fix. */
function sessionFailure(ctx: ApiContext, error: unknown, what: string): WhatsAbleApiError | null {
	const session = sessionErrorIn(error);
	if (!session) return null;
	return new WhatsAbleApiError(
		ctx.getNode(),
		session.transient ? 'network' : 'unauthorized',
		null,
		`${session.summary} while trying to ${what}`,
		session.advice,
	);
}

/**
 * Sends one request through n8n's credential handling. A 401 is sent once more with n8n's own
 * renewal armed (it renews only when the request throws a 401): n8n then calls the credential's
 * preAuthentication, saves the new session and repeats the request. One 401, one renewal.
 */
async function send(ctx: ApiContext, request: IHttpRequestOptions): Promise<ApiResponse> {
	const first = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		CREDENTIAL_TYPE,
		request,
	)) as ApiResponse;
	if (Number(first.statusCode) !== 401) return first;
	try {
		return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			...request,
			ignoreHttpStatusErrors: false,
		})) as ApiResponse;
	} catch (error) {
		if (sessionErrorIn(error)) throw asNodeError(ctx.getNode(), error);
		const status = error instanceof NodeApiError ? Number(error.httpCode) : Number.NaN;
		if (Number.isInteger(status) && status !== 401) {
			return {
				statusCode: status,
				headers: {},
				body: error instanceof NodeApiError ? error.context.data : undefined,
			};
		}
		// Still 401 after n8n renewed (or, for a pasted token, could not): the session is refused.
		return first;
	}
}

function networkError(ctx: ApiContext, error: unknown, what: string): WhatsAbleApiError {
	const code = errorCodeOf(error) ?? 'no answer';
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
	const { baseUrl, origin, method, secrets } = await connection(ctx);
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
			response = await send(ctx, request);
		} catch (error) {
			response = null;
			const session = sessionFailure(ctx, error, options.what);
			if (session && session.kind !== 'network') throw session;
			failure = session ?? networkError(ctx, error, options.what);
		}
		if (response) {
			const status = Number(response.statusCode);
			if ((status >= 200 && status < 300) || options.accept?.includes(status)) return response;
			failure = describeStatus(ctx.getNode(), status, response.body, options.what, {
				secrets,
				method,
				errors: options.errors,
			});
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
