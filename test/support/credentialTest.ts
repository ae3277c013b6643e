/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: evaluates the credential's own expressions */
import type { ICredentialTestRequest, IAuthenticateGeneric } from 'n8n-workflow';

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

/** Sends the credential's test request over real HTTP; returns the status and reason. */
export async function sendCredentialTest(
	type: { test: ICredentialTestRequest; authenticate: IAuthenticateGeneric },
	credentials: Values,
): Promise<{ status: number; statusText: string }> {
	const request = type.test.request;
	const url = `${resolveExpression(String(request.baseURL), credentials)}${request.url}`;
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(request.headers ?? {}))
		headers[k] = resolveExpression(String(v), credentials);
	for (const [k, v] of Object.entries(type.authenticate.properties.headers ?? {})) {
		headers[k] = resolveExpression(String(v), credentials);
	}
	const response = await fetch(url, { method: request.method ?? 'GET', headers });
	return { status: response.status, statusText: response.statusText };
}

/**
 * What n8n's credentials tester shows for an answer (its order: the first responseCode rule
 * matching the status, else the HTTP reason for a non-2xx, else success).
 */
export function n8nVerdict(
	test: ICredentialTestRequest,
	answer: { status: number; statusText: string },
): { status: 'OK' | 'Error'; message: string } {
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
