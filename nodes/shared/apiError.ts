import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { redact } from './redact';
import { ORIGIN_ADVICE, SESSION_RENEWED_ADVICE, TOKEN_ADVICE } from './authAdvice';
import type { AuthMethod } from './session';

export type ApiErrorKind =
	| 'unauthorized'
	| 'forbidden'
	| 'duplicate-url'
	| 'not-found'
	| 'rate-limited'
	| 'server'
	| 'network'
	| 'bad-request'
	| 'invalid-response';

/**
 * An error from the WhatsAble API that says what to do about it. `kind` lets callers react
 * (the trigger catches 'duplicate-url'); the message never carries the token or a secret
 * because it is built from the status and the API's own message, redacted (apiMessageOf).
 */
export class WhatsAbleApiError extends NodeApiError {
	readonly kind: ApiErrorKind;

	readonly status: number | null;

	constructor(
		node: INode,
		kind: ApiErrorKind,
		status: number | null,
		message: string,
		description: string,
	) {
		const response: JsonObject = { message, status, kind };
		super(node, response, {
			message,
			description,
			httpCode: status === null ? undefined : String(status),
		});
		// NodeApiError rewrites messages that mention ECONNREFUSED and the like; keep ours.
		this.message = message;
		this.kind = kind;
		this.status = status;
	}
}

export function isApiErrorKind(error: unknown, kind: ApiErrorKind): error is WhatsAbleApiError {
	return error instanceof WhatsAbleApiError && error.kind === kind;
}

const MAX_API_MESSAGE = 300;

/**
 * The API's own message from an error body: redacted (a proxy may echo the request's
 * Authorization header), then trimmed so a large HTML page cannot flood a log. Redacting first
 * means a cut can never leave part of a secret behind.
 */
export function apiMessageOf(
	body: unknown,
	secrets: ReadonlyArray<string | undefined> = [],
): string {
	let text = '';
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const message = (body as Record<string, unknown>).message;
		if (typeof message === 'string') text = message;
	} else if (typeof body === 'string') {
		text = body;
	}
	return redact(text, secrets).slice(0, MAX_API_MESSAGE);
}

export interface StatusMeaning {
	kind: ApiErrorKind;
	message: (what: string, status: number, apiMessage: string) => string;
	/** Advice; the description adds who answered what in front of it. */
	description: string;
}

/** When a rule applies, and what the answer then means for the user. */
export type StatusRule = readonly [
	applies: (status: number, apiMessage: string) => boolean,
	meaning: StatusMeaning,
];

/**
 * What the answers of one resource's endpoints mean beyond the account-wide ones: the API's
 * "not found" or "duplicate" are about that resource's records, so their words live with it.
 */
export interface ResourceErrors {
	rules: readonly StatusRule[];
	/** The advice for any other refused request (which values to check). */
	badRequestAdvice: string;
}

const withApiMessage = (apiMessage: string) => (apiMessage ? `: ${apiMessage}` : '');

/*
 * What each answer means whatever the resource, in the order the checks apply. They come before
 * a resource's rules: a resource cannot change what a refused session means.
 */
const ACCOUNT_RULES: readonly StatusRule[] = [
	[
		(s) => s === 401,
		{
			kind: 'unauthorized',
			message: (what) => `WhatsAble refused the session (401) while trying to ${what}`,
			description: TOKEN_ADVICE,
		},
	],
	[
		(s) => s === 403,
		{
			kind: 'forbidden',
			message: (what) => `WhatsAble refused the request's origin (403) while trying to ${what}`,
			description: ORIGIN_ADVICE,
		},
	],
	[
		(s) => s === 429,
		{
			kind: 'rate-limited',
			message: (what) => `WhatsAble rate-limited the request (429) while trying to ${what}`,
			description: 'Too many requests in a short time. Wait a minute and try again.',
		},
	],
	[
		(s) => s >= 500,
		{
			kind: 'server',
			message: (what, s) => `WhatsAble's API failed (${s}) while trying to ${what}`,
			description: 'It kept failing after retries. Try again later.',
		},
	],
];

const NO_RESOURCE_ERRORS: ResourceErrors = {
	rules: [],
	badRequestAdvice: 'Check the values sent.',
};

function badRequest(advice: string): StatusMeaning {
	return {
		kind: 'bad-request',
		message: (what, s, m) =>
			`WhatsAble rejected the request (${s}) while trying to ${what}${withApiMessage(m)}`,
		description: advice,
	};
}

export interface DescribeOptions {
	/** Redacted from the error's text (token, signature secret). */
	secrets?: ReadonlyArray<string | undefined>;
	method?: AuthMethod;
	errors?: ResourceErrors;
}

/** The error for a failed answer. */
export function describeStatus(
	node: INode,
	status: number,
	body: unknown,
	what: string,
	{ secrets = [], method = 'sessionToken', errors = NO_RESOURCE_ERRORS }: DescribeOptions = {},
): WhatsAbleApiError {
	const apiMessage = apiMessageOf(body, secrets);
	const found =
		[...ACCOUNT_RULES, ...errors.rules].find(([applies]) => applies(status, apiMessage))?.[1] ??
		badRequest(errors.badRequestAdvice);
	// A login renews itself; a 401 that remains is not about a pasted token.
	const meaning =
		found.kind === 'unauthorized' && method === 'emailPassword'
			? { ...found, description: SESSION_RENEWED_ADVICE }
			: found;
	// n8n 1.x shows only the description when activating a workflow fails, so it says who
	// answered what before the advice.
	const answered = `WhatsAble answered ${status}${withApiMessage(apiMessage)}.`;
	return new WhatsAbleApiError(
		node,
		meaning.kind,
		status,
		meaning.message(what, status, apiMessage),
		`${answered} ${meaning.description}`,
	);
}

/**
 * The one node-error wrapper: n8n's own errors as they are (the transport's carry the advice),
 * anything else by its message only (the raw error may carry request details), with the failing
 * item recorded when there is one.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) {
			error.context.itemIndex = itemIndex;
		}
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, itemIndex === undefined ? {} : { itemIndex });
}
