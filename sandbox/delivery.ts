/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

import { sleep } from './http';

export const SIGNATURE_SCHEMES = ['hmac', 'secret', 'hmac-prefixed'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const DIRECTIONS = ['incoming', 'outgoing'] as const;
export type Direction = (typeof DIRECTIONS)[number];
/** What a retry carries: the same bytes, or a new snapshot of the conversation (see resnapshot). */
export const REDELIVERY_MODES = ['identical', 'resnapshot'] as const;
export type Redelivery = (typeof REDELIVERY_MODES)[number];

export const SIGNATURE_HEADER = 'X-Webhook-Signature';
export const DELIVERY_DEFAULTS = {
	attempts: 3,
	baseDelayMs: 1000,
	timeoutMs: 10_000,
	scheme: 'hmac' as SignatureScheme,
	redelivery: 'identical' as Redelivery,
};
/** Enough of a receiver's answer to debug with, without holding huge bodies. */
const MAX_REPORT_BODY = 64 * 1024;

export interface DeliveryAttempt {
	/** HTTP status, when the receiver answered. */
	status?: number;
	/** 'timeout' or the socket error code, when it did not. */
	error?: string;
	ms: number;
	/** Hex SHA-256 of the bytes sent, so a test can tell a resnapshot from a resend. */
	bodySha256?: string;
}

export interface DeliveryReport {
	id: number;
	url: string;
	attempts: DeliveryAttempt[];
	/** The last attempt got a 2xx. */
	delivered: boolean;
	/** The receiver's body from the last answer ('' when none). */
	body: string;
}

export interface DeliveryTarget {
	id: number;
	url: string;
	/** Present when the record has active_signature. */
	secret?: string;
}

export interface SendOptions {
	attempts: number;
	baseDelayMs: number;
	timeoutMs: number;
	scheme: SignatureScheme;
	/** Send exactly this header value to every target, signed record or not. */
	signatureOverride?: string;
	omitSignature?: boolean;
	/** Sign the real body, then send a modified one. */
	tamperBody?: boolean;
	headers?: Record<string, string>;
	agent?: http.Agent;
	/** Aborted when the sandbox stops: no further attempts. */
	signal?: AbortSignal;
	/** The body of attempt `attempt` (2+) from the previous one's; absent: the same bytes. */
	nextBody?: (previous: Buffer, attempt: number) => Buffer;
}

/** The header value for a body under one scheme; the HMAC key is the secret string (UTF-8). */
export function signatureFor(body: Buffer, secret: string, scheme: SignatureScheme): string {
	if (scheme === 'secret') return secret;
	const hex = createHmac('sha256', secret).update(body).digest('hex');
	return scheme === 'hmac-prefixed' ? `sha256=${hex}` : hex;
}

/** Strings and bytes are sent as they are (fixtures); anything else as JSON. */
export function toBodyBytes(payload: unknown): Buffer {
	if (Buffer.isBuffer(payload)) return payload;
	if (payload instanceof Uint8Array) return Buffer.from(payload);
	if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
	const text = JSON.stringify(payload);
	if (text === undefined) throw new TypeError('Payload is not JSON-serialisable');
	return Buffer.from(text, 'utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `incoming_message: false` (also inside a legacy `data` wrapper) means outgoing. */
export function directionOf(body: Buffer): Direction {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		return 'incoming';
	}
	if (!isObject(parsed)) return 'incoming';
	if (parsed.incoming_message === false) return 'outgoing';
	if (isObject(parsed.data) && parsed.data.incoming_message === false) return 'outgoing';
	return 'incoming';
}

/** A semantic change an attacker might make; non-objects get a trailing space. */
export function tamper(body: Buffer): Buffer {
	try {
		const parsed: unknown = JSON.parse(body.toString('utf8'));
		if (isObject(parsed)) {
			const changed: Record<string, unknown> = { ...parsed, tampered: true };
			if (typeof parsed.last_message_of_user === 'string') {
				changed.last_message_of_user = `${parsed.last_message_of_user} (tampered)`;
			}
			return Buffer.from(JSON.stringify(changed), 'utf8');
		}
	} catch {
		// Not JSON: fall through to the byte-level change.
	}
	return Buffer.concat([body, Buffer.from(' ')]);
}

interface AttemptResult {
	attempt: DeliveryAttempt;
	body?: string;
}

function postOnce(
	url: URL,
	body: Buffer,
	headers: Record<string, string>,
	timeoutMs: number,
	agent: http.Agent | undefined,
): Promise<AttemptResult> {
	const started = Date.now();
	return new Promise((resolve) => {
		let settled = false;
		const finish = (result: AttemptResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(result);
		};
		const transport = url.protocol === 'https:' ? https : http;
		const req = transport.request(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Length': String(body.length) },
				// A plain http.Agent cannot carry TLS, so https uses its default agent.
				agent: url.protocol === 'https:' ? undefined : agent,
			},
			(res) => {
				const chunks: Buffer[] = [];
				let size = 0;
				res.on('data', (chunk: Buffer) => {
					if (size < MAX_REPORT_BODY) chunks.push(chunk);
					size += chunk.length;
				});
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_REPORT_BODY);
					finish({
						attempt: { status: res.statusCode ?? 0, ms: Date.now() - started },
						body: text,
					});
				});
				res.on('error', (error: NodeJS.ErrnoException) => {
					finish({ attempt: { error: error.code ?? error.message, ms: Date.now() - started } });
				});
			},
		);
		const timer = setTimeout(() => {
			finish({ attempt: { error: 'timeout', ms: Date.now() - started } });
			req.destroy();
		}, timeoutMs);
		req.on('error', (error: NodeJS.ErrnoException) => {
			finish({ attempt: { error: error.code ?? error.message, ms: Date.now() - started } });
		});
		req.end(body);
	});
}

/** One attempt's headers, signed for its own body (a retry's body may differ). */
function headersFor(
	body: Buffer,
	target: DeliveryTarget,
	opts: SendOptions,
): Record<string, string> {
	const headers: Record<string, string> = {
		'Content-Type': 'application/json',
		'User-Agent': 'WhatsAble-Sandbox/1.0',
	};
	if (opts.signatureOverride !== undefined) {
		headers[SIGNATURE_HEADER] = opts.signatureOverride;
	} else if (target.secret !== undefined && !opts.omitSignature) {
		headers[SIGNATURE_HEADER] = signatureFor(body, target.secret, opts.scheme);
	}
	return Object.assign(headers, opts.headers ?? {});
}

/** POSTs to one target, retrying non-2xx answers and timeouts with backoff. */
export async function deliverTo(
	target: DeliveryTarget,
	firstBody: Buffer,
	opts: SendOptions,
): Promise<DeliveryReport> {
	const report: DeliveryReport = {
		id: target.id,
		url: target.url,
		attempts: [],
		delivered: false,
		body: '',
	};
	let url: URL;
	try {
		url = new URL(target.url);
	} catch {
		report.attempts.push({ error: 'invalid-url', ms: 0 });
		return report;
	}
	const attempts = Math.max(1, Math.floor(opts.attempts));
	let body = firstBody;
	for (let n = 1; n <= attempts; n++) {
		if (n > 1) {
			await sleep(opts.baseDelayMs * 2 ** (n - 2), opts.signal);
			body = opts.nextBody?.(body, n) ?? body;
		}
		if (opts.signal?.aborted) break;
		const sent = opts.tamperBody ? tamper(body) : body;
		const headers = headersFor(body, target, opts);
		const result = await postOnce(url, sent, headers, opts.timeoutMs, opts.agent);
		const bodySha256 = createHash('sha256').update(sent).digest('hex');
		report.attempts.push({ ...result.attempt, bodySha256 });
		if (result.body !== undefined) report.body = result.body;
		const status = result.attempt.status;
		report.delivered = status !== undefined && status >= 200 && status < 300;
		if (report.delivered) break;
	}
	return report;
}
