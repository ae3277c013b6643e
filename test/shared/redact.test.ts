/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * Issue 14, item 5: a server or proxy that echoes the request (Authorization header included)
 * must not put the API token or the signature secret into an error's message or description,
 * which n8n stores in execution data and its event log. Over real HTTP: an echo server answers
 * 400 and 422 (JSON), 500 (text) and 502 (HTML) with what it received.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { WhatsAbleApiError } from '../../nodes/shared/apiError';
import { REDACTED, redact } from '../../nodes/shared/redact';
import { credentialSecretsOf } from '../../nodes/shared/session';
import { apiRequest } from '../../nodes/shared/transport';
import { hostileSecretEchoes } from '../support/hostileCorpus';
import { makeExecuteContext } from '../support/n8nContext';

// A made-up token, built so it is not a literal in source.
const TOKEN = ['tok', 'live', randomBytes(16).toString('hex')].join('_');
const SECRET = 's'.repeat(40) + 'signature-secret-for-redaction-tests';
const ECHOES = hostileSecretEchoes(TOKEN);

describe('redact', () => {
	test.each([
		[`Authorization: Bearer ${TOKEN}`, 'Authorization: [redacted]'],
		[`{"authorization":"Bearer ${TOKEN}"}`, '{"authorization":"[redacted]"}'],
		[`upstream: bearer ${'x'.repeat(20)}, retry`, 'upstream: Bearer [redacted], retry'],
		[`GET /x?access_token=${TOKEN}&a=1`, 'GET /x?access_token=[redacted]&a=1'],
		[`the token is ${TOKEN}.`, 'the token is [redacted].'],
		[`secret ${SECRET} echoed`, 'secret [redacted] echoed'],
		['Same webhook exist', 'Same webhook exist'],
	])('case %#', (input, expected) => {
		expect(redact(input, [TOKEN, SECRET])).toBe(expected);
	});

	test('short values are not treated as secrets', () => {
		expect(redact('the id is abc', ['abc'])).toBe('the id is abc');
	});

	test('a 23-character prefix is not treated as a secret', () => {
		const text = `id ${TOKEN.slice(0, 23)} end`;
		expect(redact(text, [TOKEN])).toBe(text);
	});

	test('invisible characters elsewhere in the text are kept', () => {
		const family = '👨\u200d👩\u200d👧';
		expect(redact(`${family} ${TOKEN}`, [TOKEN])).toBe(`${family} ${REDACTED}`);
	});
});

/** The longest run of `form` that is still in `text` (a surviving piece of an encoded secret). */
function longestSurvivingRun(text: string, form: string): number {
	let longest = 0;
	for (let start = 0; start < form.length; start++) {
		for (
			let end = start + longest + 1;
			end <= form.length && text.includes(form.slice(start, end));
			end++
		) {
			longest = end - start;
		}
	}
	return longest;
}

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

describe('redact: encoded, cut and disguised echoes of a secret', () => {
	test.each(
		[TOKEN, SECRET].flatMap((secret, i) =>
			hostileSecretEchoes(secret).map(
				(c) => [`${['token', 'secret'][i]}: ${c.name}`, secret, c.text] as const,
			),
		),
	)('%s', (_name, secret, form) => {
		const out = redact(`upstream said: ${form} (end)`, [TOKEN, SECRET]);
		expect(out).toContain(REDACTED);
		expect(out).toMatch(/^upstream said: .*\(end\)$/);
		// Not even a 12-character piece of the echo, nor of the secret once invisibles are gone.
		expect(longestSurvivingRun(out, form)).toBeLessThan(12);
		expect(longestSurvivingRun(out.replace(INVISIBLE, ''), secret)).toBeLessThan(12);
	});

	test("the login credential's password is redacted in every form", () => {
		const password = 'correct horse battery staple 42';
		const secrets = credentialSecretsOf({
			authentication: 'emailPassword',
			email: 'a@b.c',
			password,
		});
		for (const { text } of hostileSecretEchoes(password)) {
			expect(redact(text, secrets)).toContain(REDACTED);
			expect(longestSurvivingRun(redact(text, secrets), text)).toBeLessThan(12);
		}
	});
});

describe('API errors built from an echoing server', () => {
	let server: http.Server;
	let baseUrl: string;

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			// ?form=<n>: one of the hostile echoes of the token first, before the 300-character cut.
			const form = new URL(req.url ?? '/', 'http://echo').searchParams.get('form');
			const first = form === null ? '' : `${ECHOES[Number(form)].text} `;
			const echo = `${first}you sent ${req.method} ${req.url} with Authorization: ${req.headers.authorization} and token ${TOKEN} and secret ${SECRET}`;
			const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 400);
			if (status < 500) {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: echo }));
			} else if (status === 500) {
				res.writeHead(500, { 'content-type': 'text/plain' });
				res.end(echo);
			} else {
				res.writeHead(status, { 'content-type': 'text/html' });
				// The secret sits across the 300-character cut of the old code.
				res.end(`<html><body>${'.'.repeat(226)}${echo}</body></html>`);
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

	test.each([400, 500, 502, 422])(
		'a %i answer: message and description carry no token and no secret',
		async (status) => {
			const ctx = makeExecuteContext({
				credentials: { apiToken: TOKEN, baseUrl, consoleOrigin: '', signatureSecret: SECRET },
				parameters: [{}],
			});
			const error = await apiRequest(ctx, {
				method: 'GET',
				path: `/status/${status}`,
				what: 'list the webhooks',
				retry: { attempts: 1, baseDelayMs: 1, deadlineMs: 1, maxRetryAfterMs: 1 },
			}).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(WhatsAbleApiError);
			const { message, description } = error as WhatsAbleApiError;
			const text = `${message}\n${description}\n${JSON.stringify(error)}`;
			for (const leak of [TOKEN, TOKEN.slice(0, 12), SECRET.slice(-20), 'Bearer tok_'])
				expect(text).not.toContain(leak);

			if (status !== 502) expect(text).toContain(REDACTED);
		},
	);

	test.each(ECHOES.flatMap((c, i) => [400, 502].map((status) => [c.name, status, i] as const)))(
		'%s in a %i answer reaches neither message nor description',
		async (_name, status, form) => {
			const ctx = makeExecuteContext({
				credentials: { apiToken: TOKEN, baseUrl, consoleOrigin: '', signatureSecret: SECRET },
				parameters: [{}],
			});
			const error = await apiRequest(ctx, {
				method: 'GET',
				path: `/status/${status}?form=${form}`,
				what: 'list the webhooks',
				retry: { attempts: 1, baseDelayMs: 1, deadlineMs: 1, maxRetryAfterMs: 1 },
			}).catch((e: unknown) => e);
			const { message, description } = error as WhatsAbleApiError;
			const text = `${message}\n${description}\n${JSON.stringify(error)}`;
			expect(longestSurvivingRun(text, ECHOES[form].text)).toBeLessThan(12);
		},
	);
});
