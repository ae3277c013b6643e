import { createHash, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { API_PATHS, DEFAULT_BASE_URL, REQUEST_TIMEOUT_MS } from './api';
import { LOGIN_ADVICE, TOKEN_ADVICE } from './authAdvice';
import { errorCodeOf } from './readers';
import { redact } from './redact';

/*
 * The WhatsAble session. WhatsAble's webhook API takes a dashboard session (a JWT from
 * `auth/login`) that expires and has no refresh endpoint: the way back is to log in again. n8n's
 * own mechanism does that for us: the credential's hidden, expirable `session` field is filled by
 * `preAuthentication` (renewSession) when it is empty and again after a 401, and n8n saves what
 * it returns in the credential, encrypted.
 *
 * The same call keeps a random `sealingKey` in the credential: the key the trigger seals its
 * one-time signature secret with. It never changes when the session, the pasted token or the
 * password changes, so a rotation can never lose the secret (see secretBox.ts).
 */

export type AuthMethod = 'emailPassword' | 'sessionToken';

/**
 * Credentials made before the choice existed have no `authentication` and hold a pasted token;
 * n8n fills a missing value with the default (and drops fields the choice hides), so only this
 * default keeps them working unchanged.
 */
export const DEFAULT_AUTH_METHOD: AuthMethod = 'sessionToken';

/** The hidden fields n8n keeps for us. */
export const SESSION_FIELD = 'session';
export const SEALING_KEY_FIELD = 'sealingKey';

/** `session` in Session Token mode: the token itself is read from its own field. */
const PASTED_SESSION = 'pasted';

type Credentials = ICredentialDataDecryptedObject;

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

export function authMethodOf(credentials: Credentials): AuthMethod {
	return credentials.authentication === 'emailPassword' ? 'emailPassword' : DEFAULT_AUTH_METHOD;
}

export function baseUrlOf(credentials: Credentials): string {
	return textOf(credentials.baseUrl).trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
}

export function originOf(credentials: Credentials): string {
	return textOf(credentials.consoleOrigin).trim();
}

/** What a login session was made from: a new email, password or API address needs a new one. */
function bindingOf(credentials: Credentials, sealingKey: string): string {
	return createHash('sha256')
		.update(
			[
				sealingKey,
				textOf(credentials.email).trim().toLowerCase(),
				textOf(credentials.password),
				baseUrlOf(credentials),
			].join('\0'),
		)
		.digest('base64url')
		.slice(0, 22);
}

/**
 * The bearer token to send, or null when there is none valid. For a login that is the session,
 * as long as it was made from the credential's current email, password and base URL: otherwise
 * the request goes without one, WhatsAble answers 401 and n8n logs in again.
 */
export function bearerTokenOf(credentials: Credentials): string | null {
	if (authMethodOf(credentials) === 'sessionToken') {
		return textOf(credentials.apiToken).trim() || null;
	}
	const session = textOf(credentials[SESSION_FIELD]);
	const dot = session.indexOf('.');
	const sealingKey = textOf(credentials[SEALING_KEY_FIELD]);
	if (dot < 0 || !sealingKey || session.slice(0, dot) !== bindingOf(credentials, sealingKey)) {
		return null;
	}
	return session.slice(dot + 1) || null;
}

/**
 * Keys that may open the trigger's sealed secret, the one to seal with first: the credential's
 * sealing key, then the pasted token (what secrets were sealed with before the key existed).
 */
export function sealingKeysOf(credentials: Credentials): string[] {
	return [textOf(credentials[SEALING_KEY_FIELD]), textOf(credentials.apiToken)].filter(
		(key) => key.length > 0,
	);
}

/** Every credential value that must never appear in a text built from an answer. */
export function credentialSecretsOf(credentials: Credentials): string[] {
	const session = textOf(credentials[SESSION_FIELD]);
	return [
		credentials.apiToken,
		credentials.password,
		credentials.signatureSecret,
		credentials[SEALING_KEY_FIELD],
		session,
		session.slice(session.indexOf('.') + 1),
	].map(textOf);
}

/**
 * A login or session problem, in words for the user; never carries the password or a token. Its
 * message holds the advice too: the credential modal shows nothing else.
 */
export class SessionError extends Error {
	override readonly name = 'WhatsAbleSessionError';

	constructor(
		/** What went wrong, without the advice (a node error's message). */
		readonly summary: string,
		readonly advice: string,
		/** Worth another try later (network, 429, 5xx); a refusal is not. */
		readonly transient = false,
	) {
		super(`${summary}. ${advice}`);
	}
}

/** The SessionError behind `error`, if any: n8n wraps what preAuthentication throws. */
export function sessionErrorIn(error: unknown): SessionError | undefined {
	for (let e = error, depth = 0; e && depth < 5; depth++) {
		if (e instanceof SessionError || (e instanceof Error && e.name === 'WhatsAbleSessionError')) {
			return e as SessionError;
		}
		e = e instanceof Error ? e.cause : undefined;
	}
	return undefined;
}

interface LoginAnswer {
	statusCode: number;
	body: unknown;
}

function messageOf(body: unknown, secrets: string[]): string {
	const message =
		body && typeof body === 'object' && 'message' in body ? (body as IDataObject).message : body;
	return typeof message === 'string' ? redact(message, secrets).slice(0, 200) : '';
}

async function login(helper: IHttpRequestHelper, credentials: Credentials): Promise<string> {
	const email = textOf(credentials.email).trim().toLowerCase();
	const password = textOf(credentials.password);
	if (!email || !password) {
		throw new SessionError('The credential has no email or password to log in with', LOGIN_ADVICE);
	}
	const origin = originOf(credentials);
	let answer: LoginAnswer | undefined;
	let failure = 'no answer';
	try {
		answer = (await helper.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrlOf(credentials)}${API_PATHS.login}`,
			headers: { Accept: 'application/json', ...(origin ? { Origin: origin } : {}) },
			body: { email, password },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: REQUEST_TIMEOUT_MS,
		})) as LoginAnswer;
	} catch (error) {
		// Only the code: the raw error carries the request, password included.
		failure = errorCodeOf(error) ?? failure;
	}
	if (!answer) {
		throw new SessionError(
			`Could not reach WhatsAble to log in (${failure})`,
			'Check the API Base URL in the credential and that this n8n instance can reach it.',
			true,
		);
	}
	const status = Number(answer.statusCode);
	const token =
		answer.body && typeof answer.body === 'object' ? (answer.body as IDataObject).authToken : null;
	if (status >= 200 && status < 300 && typeof token === 'string' && token !== '') return token;
	const said = messageOf(answer.body, [password]);
	if (status >= 200 && status < 300) {
		throw new SessionError(
			'WhatsAble answered the login without a session token',
			'The API Base URL may point at the wrong service.',
		);
	}
	if (status === 429 || status >= 500) {
		throw new SessionError(
			`WhatsAble could not log in just now (${status})`,
			'Try again in a minute.',
			true,
		);
	}
	throw new SessionError(
		`WhatsAble refused the login (${status}${said ? `: ${said}` : ''})`,
		LOGIN_ADVICE,
	);
}

/** A pasted token needs no login: the session field only marks that the credential was set up. */
function pastedSession(credentials: Credentials): string {
	if (!textOf(credentials.apiToken).trim()) {
		throw new SessionError('The credential has no session token', TOKEN_ADVICE);
	}
	return PASTED_SESSION;
}

/**
 * The credential's `preAuthentication`: n8n calls it when `session` is empty, after a 401, and
 * for the credential test, and saves what it returns into the credential.
 */
export async function renewSession(
	this: IHttpRequestHelper,
	credentials: Credentials,
): Promise<IDataObject> {
	const sealingKey =
		textOf(credentials[SEALING_KEY_FIELD]) || randomBytes(32).toString('base64url');
	const session =
		authMethodOf(credentials) === 'sessionToken'
			? pastedSession(credentials)
			: `${bindingOf(credentials, sealingKey)}.${await login(this, credentials)}`;
	return { [SESSION_FIELD]: session, [SEALING_KEY_FIELD]: sealingKey };
}
