import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

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
 * because it is built from the status and the API's own message only.
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

/** The API's own message from an error body, trimmed so a large HTML page cannot flood a log. */
export function apiMessageOf(body: unknown): string {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const message = (body as Record<string, unknown>).message;
		if (typeof message === 'string') return message.slice(0, 300);
	}
	if (typeof body === 'string') return body.slice(0, 300);
	return '';
}

export function describeStatus(
	node: INode,
	status: number,
	body: unknown,
	what: string,
): WhatsAbleApiError {
	const apiMessage = apiMessageOf(body);
	if (status === 401) {
		return new WhatsAbleApiError(
			node,
			'unauthorized',
			status,
			`WhatsAble refused the API token (401) while trying to ${what}`,
			'Check the API Token in the WhatsAble Webhooks credential: it may be mistyped, expired or revoked. Copy a fresh token from the WhatsAble dashboard.',
		);
	}
	if (status === 403) {
		return new WhatsAbleApiError(
			node,
			'forbidden',
			status,
			`WhatsAble refused the request's origin (403) while trying to ${what}`,
			'The webhook endpoints check the Origin header. Set "Console Origin Header" in the credential to https://console.notifyer-systems.com (the default), or clear it if your account does not need it.',
		);
	}
	if (status === 400 && /same webhook exist/i.test(apiMessage)) {
		return new WhatsAbleApiError(
			node,
			'duplicate-url',
			status,
			`This URL is already registered with WhatsAble ("Same webhook exist") while trying to ${what}`,
			'WhatsAble allows each URL once per account. Delete the existing endpoint in the dashboard or with the WhatsAble Webhooks node, or use another URL.',
		);
	}
	if (status === 404) {
		return new WhatsAbleApiError(
			node,
			'not-found',
			status,
			`WhatsAble has no such webhook (404) while trying to ${what}`,
			'The webhook may have been deleted in the dashboard. List the webhooks to find the current ids.',
		);
	}
	if (status === 429) {
		return new WhatsAbleApiError(
			node,
			'rate-limited',
			status,
			`WhatsAble rate-limited the request (429) while trying to ${what}`,
			'Too many requests in a short time. Wait a minute and try again.',
		);
	}
	if (status >= 500) {
		return new WhatsAbleApiError(
			node,
			'server',
			status,
			`WhatsAble's API failed (${status}) while trying to ${what}`,
			`The API answered with a server error even after retries${apiMessage ? `: ${apiMessage}` : ''}. Try again later.`,
		);
	}
	return new WhatsAbleApiError(
		node,
		'bad-request',
		status,
		`WhatsAble rejected the request (${status}) while trying to ${what}${apiMessage ? `: ${apiMessage}` : ''}`,
		'Check the values sent (URL, events, waiting duration).',
	);
}

/** Errors reaching n8n are node errors; anything else is wrapped without its (possibly secret) details. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error.message : String(error));
}
