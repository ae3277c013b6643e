/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: evaluates the credential's own expressions */
import type { ICredentialDataDecryptedObject, ICredentialTestRequest, IHttpRequestHelper } from 'n8n-workflow';

import type { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { CredentialStore, makeExecuteContext, type TestCredentials } from './n8nContext';

type Values = Record<string, string>;

/**
 * Resolves the credential's n8n expressions ("={{ ... }}" and "=text {{ ... }}") against the
 * credential values, so the test request is the one n8n would send.
 */
export function resolveExpression(value: string, credentials: Values): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_m, code: string) => {
		const evaluate = new Function('$credentials', `return (${code});`) as (c: unknown) => unknown;
		return String(evaluate(credentials));
	});
}

/** n8n's own request helper (n8n-core's), as preAuthentication gets it. */
function requestHelper(): IHttpRequestHelper {
	const ctx = makeExecuteContext({ credentials: { baseUrl: '' }, parameters: [{}] });
	return { helpers: { httpRequest: ctx.helpers.httpRequest } };
}

export type CredentialTestAnswer =
	| { status: number; statusText: string }
	/** preAuthentication threw: n8n shows its message. */
	| { preAuthenticationError: string };

/**
 * The credential test as n8n's credentials tester runs it: preAuthentication first (always, for a
 * test), then the test request with the credential's `authenticate`, over real HTTP.
 */
export async function sendCredentialTest(
	type: WhatsAbleWebhooksApi,
	values: TestCredentials,
): Promise<CredentialTestAnswer> {
	const credentials = new CredentialStore(values).decrypted();
	try {
		Object.assign(credentials, await type.preAuthentication.call(requestHelper(), credentials));
	} catch (error) {
		return { preAuthenticationError: error instanceof Error ? error.message : String(error) };
	}
	const strings = credentials as unknown as Values;
	const request = type.test.request;
	const authenticated = await type.authenticate(credentials as ICredentialDataDecryptedObject, {
		url: '',
		headers: {},
	});
	const url = `${resolveExpression(String(request.baseURL), strings)}${request.url}`;
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(request.headers ?? {})) headers[k] = resolveExpression(String(v), strings);
	for (const [k, v] of Object.entries(authenticated.headers ?? {})) headers[k] = String(v);
	const response = await fetch(url, { method: request.method ?? 'GET', headers });
	return { status: response.status, statusText: response.statusText };
}

/**
 * What n8n's credentials tester shows for an answer (its order: a preAuthentication error's
 * message, the first responseCode rule matching the status, else the HTTP reason for a non-2xx,
 * else success).
 */
export function n8nVerdict(
	test: ICredentialTestRequest,
	answer: CredentialTestAnswer,
): { status: 'OK' | 'Error'; message: string } {
	if ('preAuthenticationError' in answer) return { status: 'Error', message: answer.preAuthenticationError };
	if (answer.status >= 200 && answer.status <= 299)
		return { status: 'OK', message: 'Connection successful!' };
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === answer.status) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return {
		status: 'Error',
		message: answer.statusText || `Received HTTP status code: ${answer.status}`,
	};
}
