/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * What the sandbox's tests share: raw calls to its API over real HTTP, a tiny webhook receiver
 * with a per-request plan, and a fresh sandbox (and receivers) per test.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';

import {
	API_PREFIX,
	AUTH_API_PREFIX,
	DEFAULT_ORIGIN,
	WhatsAbleSandbox,
	type SandboxOptions,
	type WebhookRecord,
} from '../../sandbox';

export const SECRET_RE = /^[A-Za-z0-9_-]{171}$/;

export interface ApiReply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: unknown;
}

export interface CallOptions {
	body?: unknown;
	raw?: string;
	token?: string | null;
	origin?: string | null;
}

export async function call(
	sb: WhatsAbleSandbox,
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
	route: string,
	opts: CallOptions = {},
): Promise<ApiReply> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const token = opts.token === undefined ? sb.token : opts.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	const origin = opts.origin === undefined ? DEFAULT_ORIGIN : opts.origin;
	if (origin !== null) headers.origin = origin;
	const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
	// Control and auth routes are given in full; the rest are in the webhook group.
	const full = route.startsWith('/__sandbox') || route.startsWith(AUTH_API_PREFIX);
	const url = sb.baseUrl + (full ? route : API_PREFIX + route);
	const res = await request(url, { method, headers, body });
	const text = await res.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

/** POST /auth/login with the console origin unless `origin` says otherwise; no bearer token. */
export function login(
	sb: WhatsAbleSandbox,
	email: string,
	password: string,
	origin?: string | null,
): Promise<ApiReply> {
	return call(sb, 'POST', `${AUTH_API_PREFIX}/auth/login`, {
		body: { email, password },
		token: null,
		origin,
	});
}

/** The authToken of a successful login; throws with the status otherwise. */
export async function sessionOf(
	sb: WhatsAbleSandbox,
	email: string,
	password: string,
	origin?: string | null,
): Promise<string> {
	const res = await login(sb, email, password, origin);
	const token: unknown = (res.json as { authToken?: unknown } | undefined)?.authToken;
	if (res.status !== 200 || typeof token !== 'string') throw new Error(`login: ${res.status}`);
	return token;
}

export interface TestClock {
	now(): number;
	advance(ms: number): void;
}

/** A clock for the sandbox's `now` option: time moves only when a test says so. */
export function testClock(start = Date.parse('2025-06-09T22:08:11.000Z')): TestClock {
	let t = start;
	return {
		now: () => t,
		advance(ms: number) {
			t += ms;
		},
	};
}

export function asRecord(value: unknown): WebhookRecord {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('expected a record object');
	}
	return value as WebhookRecord;
}

export function asArray(value: unknown): unknown[] {
	if (!Array.isArray(value)) throw new Error('expected an array');
	return value;
}

export const FULL = {
	status: true,
	incoming: true,
	outgoing: false,
	schedule_activity: false,
	waiting_duration: 0,
	active_signature: false,
};

export interface Received {
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	at: number;
}

export interface Step {
	status?: number;
	delayMs?: number;
	body?: string;
}

export interface Receiver {
	url: string;
	received: Received[];
	close(): Promise<void>;
}

/** A tiny webhook endpoint that answers each request per `plan` (then 200 'ok'). */
export async function startReceiver(plan: Step[] = []): Promise<Receiver> {
	const received: Received[] = [];
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const step = plan[received.length] ?? {};
			received.push({ headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (res.destroyed) return;
				res.writeHead(step.status ?? 200, { 'content-type': 'text/plain' });
				res.end(step.body ?? 'ok');
			}, step.delayMs ?? 0);
			timers.add(timer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: async () => {
			for (const t of timers) clearTimeout(t);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export function parseJson(body: Buffer): Record<string, unknown> {
	const parsed: unknown = JSON.parse(body.toString('utf8'));
	if (typeof parsed !== 'object' || parsed === null) throw new Error('expected an object');
	return parsed as Record<string, unknown>;
}

export interface SandboxHarness {
	readonly sandbox: WhatsAbleSandbox;
	/** A receiver closed after the test. */
	receiver(plan?: Step[]): Promise<Receiver>;
}

/** Registers a fresh, quiet sandbox with fast retries (plus `opts`) for each test of the calling file. */
export function useSandbox(opts: SandboxOptions = {}): SandboxHarness {
	let sandbox: WhatsAbleSandbox | undefined;
	const receivers: Receiver[] = [];
	beforeEach(async () => {
		sandbox = await WhatsAbleSandbox.start({
			quiet: true,
			...opts,
			delivery: { baseDelayMs: 10, ...opts.delivery },
		});
	});
	afterEach(async () => {
		await sandbox?.stop();
		await Promise.all(receivers.splice(0).map((r) => r.close()));
	});
	return {
		get sandbox() {
			if (!sandbox) throw new Error('the sandbox starts in beforeEach');
			return sandbox;
		},
		async receiver(plan) {
			const r = await startReceiver(plan);
			receivers.push(r);
			return r;
		},
	};
}
