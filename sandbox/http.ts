/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

import {
	ACCESS_DENIED_MESSAGE,
	AUTH_API_PREFIX,
	PRECONDITION_FAILED,
	type Account,
	type Accounts,
} from './accounts';
import type { Fault, FaultQueue } from './faults';
import {
	NOT_FOUND_MESSAGE,
	isRecordObject,
	validateInput,
	type Validation,
	type WebhookStore,
} from './store';

export const API_PREFIX = '/api:qh9OQ3OW';
export const DEFAULT_ORIGIN = 'https://console.notifyer-systems.com';
export const INVALID_TOKEN_MESSAGE = 'Invalid or expired token';
const INVALID_JSON_MESSAGE = 'Invalid JSON body';
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const REDACTED = '[REDACTED]';
const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'x-api-key']);

/** One management call as the sandbox saw and answered it. */
export interface RecordedCall {
	method: string;
	/** Path with query string. */
	path: string;
	/** Lower-cased names; authorization is redacted. */
	headers: Record<string, string>;
	/** Parsed JSON (a `password` field redacted), the raw text when it is not JSON, or null. */
	body: unknown;
	/** The status sent, or 0 when the connection was dropped. */
	status: number;
	/** Unix ms when the call arrived. */
	at: number;
}

export interface ControlReply {
	status: number;
	body: unknown;
}

/** What the request handler needs from the sandbox. */
export interface HttpContext {
	store: WebhookStore;
	accounts: Accounts;
	faults: FaultQueue;
	/** The static token: the only one the control endpoints accept. */
	controlToken: string;
	origin: string | null;
	/** Read per call, so a test can switch it while the sandbox runs. */
	ownerChecks(): boolean;
	calls: RecordedCall[];
	/** Aborted when the sandbox stops, so delayed answers give up. */
	signal: AbortSignal;
	control: {
		deliver(body: unknown): Promise<ControlReply>;
		state(): ControlReply;
	};
	log?: (line: string) => void;
}

type ParsedBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'invalid'; raw: string };

type RouteMatch =
	| { name: 'login' | 'me' | 'create' | 'list' }
	| { name: 'patch' | 'delete'; id: string };

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const onAbort = () => {
			clearTimeout(timer);
			resolve();
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function matchRoute(method: string, pathname: string): RouteMatch | undefined {
	if (pathname === `${AUTH_API_PREFIX}/auth/login`) {
		return method === 'POST' ? { name: 'login' } : undefined;
	}
	if (pathname === `${AUTH_API_PREFIX}/auth/me`)
		return method === 'GET' ? { name: 'me' } : undefined;
	if (!pathname.startsWith(API_PREFIX + '/')) return undefined;
	const rest = pathname.slice(API_PREFIX.length);
	if (rest === '/webhook/dev/create') return method === 'POST' ? { name: 'create' } : undefined;
	if (rest === '/webhook/dev') return method === 'GET' ? { name: 'list' } : undefined;
	const m = /^\/webhook\/dev\/([^/]+)$/.exec(rest);
	if (!m) return undefined;
	if (method === 'PATCH') return { name: 'patch', id: m[1] };
	if (method === 'DELETE') return { name: 'delete', id: m[1] };
	return undefined;
}

/** Integer ids only; anything else is an unknown id. */
function parseId(raw: string | undefined): number | undefined {
	if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
	return Number(raw);
}

function headerRecord(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : value;
		out[name] = REDACTED_HEADERS.has(name) ? '[REDACTED]' : text;
	}
	return out;
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseBody(raw: Buffer): ParsedBody {
	const text = raw.toString('utf8');
	if (text.trim() === '') return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(text) as unknown };
	} catch {
		return { kind: 'invalid', raw: text };
	}
}

function bearerToken(req: IncomingMessage): string | undefined {
	const header = req.headers.authorization;
	if (typeof header !== 'string') return undefined;
	return /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
}

/** What calls records: a password never, even in a body that is not JSON. */
function recordedBody(parsed: ParsedBody, pathname: string): unknown {
	if (parsed.kind === 'empty') return null;
	if (parsed.kind === 'invalid') {
		return pathname.startsWith(AUTH_API_PREFIX + '/') ? REDACTED : parsed.raw;
	}
	const value = parsed.value;
	return isRecordObject(value) && 'password' in value ? { ...value, password: REDACTED } : value;
}

/** A create or PATCH body checked, unparsable JSON included. */
function inputOf(parsed: ParsedBody, mode: 'create' | 'patch'): Validation {
	if (parsed.kind === 'invalid') return { ok: false, message: INVALID_JSON_MESSAGE };
	return validateInput(parsed.kind === 'json' ? parsed.value : undefined, mode);
}

function send(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) {
	if (body === undefined) {
		res.writeHead(status, { 'Content-Length': '0', ...headers });
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

function message(text: string) {
	return { message: text };
}

/** node:http handler: control endpoints, then faults, routing, origin, session and the API. */
export function createHandler(ctx: HttpContext) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		handle(ctx, req, res).catch((error: unknown) => {
			ctx.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.headersSent) send(res, 500, message('Internal sandbox error'));
			else res.destroy();
		});
	};
}

async function handle(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const started = Date.now();
	const method = (req.method ?? 'GET').toUpperCase();
	const path = req.url ?? '/';
	const pathname = new URL(path, 'http://sandbox.invalid').pathname;
	const raw = await readBody(req);

	if (pathname.startsWith('/__sandbox/')) {
		await handleControl(ctx, req, res, method, pathname, raw);
		return;
	}

	const parsed: ParsedBody = raw === 'too-large' ? { kind: 'empty' } : parseBody(raw);
	const call: RecordedCall = {
		method,
		path,
		headers: headerRecord(req),
		body: recordedBody(parsed, pathname),
		status: 0,
		at: started,
	};
	ctx.calls.push(call);
	const reply: Reply = (status, body, headers) => {
		call.status = status;
		ctx.log?.(`${method} ${pathname} ${status} ${Date.now() - started}ms`);
		send(res, status, body, headers);
	};

	const fault = ctx.faults.take(method, pathname);
	if (fault && (await applyFault(ctx, fault, req, reply, method, pathname, started))) return;

	if (raw === 'too-large') return reply(413, message('Payload too large'));
	const route = matchRoute(method, pathname);
	if (!route) return reply(404, message('Unable to locate request'));
	const consoleOrigin = ctx.origin === null || req.headers.origin === ctx.origin;
	if (route.name === 'login') return login(ctx, parsed, consoleOrigin, reply);
	if (!consoleOrigin) return reply(403, message('Origin check failed'));

	const token = bearerToken(req);
	const caller = token === undefined ? undefined : ctx.accounts.accountOf(token);
	/** The caller when an Admin; otherwise the refusal is sent and undefined returned. */
	const admin = (): Account | undefined => {
		if (!caller) reply(401, message(INVALID_TOKEN_MESSAGE));
		else if (caller.role !== 'Admin') reply(403, message(ACCESS_DENIED_MESSAGE));
		else return caller;
		return undefined;
	};

	switch (route.name) {
		case 'me':
			return caller
				? reply(200, ctx.accounts.me(caller))
				: reply(401, message(INVALID_TOKEN_MESSAGE));
		case 'list': {
			const owner = admin();
			if (owner) reply(200, ctx.store.list(owner.userId));
			return;
		}
		case 'create': {
			const owner = admin();
			if (!owner) return;
			const input = inputOf(parsed, 'create');
			if (!input.ok) return reply(400, message(input.message));
			const result = ctx.store.create(input.value, owner.userId);
			return result.ok ? reply(200, result.record) : reply(result.status, message(result.message));
		}
		case 'patch':
		case 'delete':
			return byId(ctx, route, parsed, admin, reply);
	}
}

function login(ctx: HttpContext, parsed: ParsedBody, consoleOrigin: boolean, reply: Reply): void {
	if (parsed.kind === 'invalid') return reply(400, message(INVALID_JSON_MESSAGE));
	const body = parsed.kind === 'json' ? parsed.value : undefined;
	const fields = isRecordObject(body) ? body : {};
	for (const field of ['email', 'password'] as const) {
		if (typeof fields[field] !== 'string') return reply(400, message(`Missing param: ${field}`));
	}
	const token = ctx.accounts.login(String(fields.email), String(fields.password), consoleOrigin);
	return token === undefined ? reply(400, PRECONDITION_FAILED) : reply(200, { authToken: token });
}

/**
 * PATCH and DELETE by id. The real ones run the origin check alone (no session, no owner: see the
 * API notes), so any account's id is reachable; `ownerChecks` makes them behave as a safe API would.
 */
function byId(
	ctx: HttpContext,
	route: { name: 'patch' | 'delete'; id: string },
	parsed: ParsedBody,
	admin: () => Account | undefined,
	reply: Reply,
): void {
	let owner: string | undefined;
	if (ctx.ownerChecks()) {
		const caller = admin();
		if (!caller) return;
		owner = caller.userId;
	}
	const id = parseId(route.id);
	const record = id === undefined ? undefined : ctx.store.get(id);
	if (id === undefined || !record || (owner !== undefined && record.user_id !== owner)) {
		return reply(404, message(NOT_FOUND_MESSAGE));
	}
	if (route.name === 'delete') {
		ctx.store.delete(id);
		return reply(200, undefined);
	}
	const input = inputOf(parsed, 'patch');
	if (!input.ok) return reply(400, message(input.message));
	const result = ctx.store.update(id, input.value);
	return result.ok ? reply(200, result.record) : reply(result.status, message(result.message));
}

/** Returns true when the fault answered (or dropped) the call itself. */
async function applyFault(
	ctx: HttpContext,
	fault: Fault,
	req: IncomingMessage,
	reply: Reply,
	method: string,
	pathname: string,
	started: number,
): Promise<boolean> {
	if (fault.delayMs !== undefined && fault.delayMs > 0) await sleep(fault.delayMs, ctx.signal);
	if (ctx.signal.aborted || fault.dropConnection) {
		ctx.log?.(`${method} ${pathname} dropped ${Date.now() - started}ms`);
		req.socket.destroy();
		return true;
	}
	if (fault.status === undefined) return false;
	const headers: Record<string, string> = {};
	if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
	const body =
		fault.body !== undefined ? fault.body : message(STATUS_CODES[fault.status] ?? 'Fault');
	reply(fault.status, body, headers);
	return true;
}

async function handleControl(
	ctx: HttpContext,
	req: IncomingMessage,
	res: ServerResponse,
	method: string,
	pathname: string,
	raw: Buffer | 'too-large',
): Promise<void> {
	if (bearerToken(req) !== ctx.controlToken) return send(res, 401, message(INVALID_TOKEN_MESSAGE));
	if (method === 'GET' && pathname === '/__sandbox/state') {
		const { status, body } = ctx.control.state();
		return send(res, status, body);
	}
	if (method === 'POST' && pathname === '/__sandbox/deliver') {
		if (raw === 'too-large') return send(res, 413, message('Payload too large'));
		const parsed = parseBody(raw);
		if (parsed.kind === 'invalid') return send(res, 400, message(INVALID_JSON_MESSAGE));
		const { status, body } = await ctx.control.deliver(parsed.kind === 'json' ? parsed.value : {});
		return send(res, status, body);
	}
	return send(res, 404, message('Unable to locate request'));
}
