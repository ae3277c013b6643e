import { createHash } from 'node:crypto';

import type { IBinaryData, IWebhookFunctions } from 'n8n-workflow';

import { mediaUrlRefusal, parseUrl } from './publicAddress';

export type AttachmentResult =
	| { ok: true; binary: IBinaryData; bytes: number }
	| { ok: false; error: string };

export interface AttachmentOptions {
	type: string;
	maxBytes: number;
	sha256?: string;
	/** The whole download (every hop and every byte) must finish within this. */
	deadlineMs?: number;
	/** What `maxBytes` is, in the error of a file above it (default: "the <n> byte limit"). */
	limitName?: string;
}

/** The total time a delivery may spend on one attachment, redirects and body included. */
export const ATTACHMENT_DEADLINE_MS = 8_000;
/** Redirects followed (each hop checked by mediaUrlRefusal) before giving up. */
export const MAX_ATTACHMENT_REDIRECTS = 3;

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const EXPIRED_STATUSES = [401, 403, 404, 410];

/** What n8n's httpRequest gives for `encoding: 'stream'`: a readable byte stream. */
interface ByteStream {
	[Symbol.asyncIterator](): AsyncIterator<unknown>;
	destroy(error?: Error): void;
	on(event: 'error', listener: () => void): unknown;
}

interface StreamedResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** One answer and how to let go of it. */
interface Hop {
	response: StreamedResponse;
	/** Closes the connection: n8n's client wraps the body, so destroying the body alone leaves the socket open. */
	release: () => void;
}

class DownloadRefused extends Error {}

function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		Symbol.asyncIterator in value &&
		typeof (value as { destroy?: unknown }).destroy === 'function' &&
		typeof (value as { on?: unknown }).on === 'function'
	);
}

function header(response: StreamedResponse, name: string): string | undefined {
	const value = response.headers[name];
	return typeof value === 'string' ? value : undefined;
}

/** Longer file names are cut: some file systems refuse them and they flood logs. */
export const MAX_FILE_NAME_LENGTH = 128;
/** An extension up to this long survives the cut; a longer one is cut with the rest. */
const MAX_KEPT_EXTENSION = 16;
/** Controls and invisible format characters (line breaks, bidi overrides), quotes, and what Windows reserves. */
const UNSAFE_IN_FILE_NAME = /[\p{Cc}\p{Cf}"'`<>:|?*]/gu;
/** Leading dots (hidden files, "..") and trailing dots and spaces (Windows drops them). */
const UNSAFE_EDGES = /^[.\s]+|[.\s]+$/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

function decoded(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** Cuts `name` to MAX_FILE_NAME_LENGTH characters (whole code points), keeping a short extension. */
function bounded(name: string): string {
	const chars = [...name];
	if (chars.length <= MAX_FILE_NAME_LENGTH) return name;
	const dot = name.lastIndexOf('.');
	const extension = dot > 0 ? [...name.slice(dot)] : [];
	const kept = extension.length <= MAX_KEPT_EXTENSION ? extension : [];
	const stem = chars.slice(0, MAX_FILE_NAME_LENGTH - kept.length);
	return [...stem, ...kept].join('').replace(UNSAFE_EDGES, '');
}

/**
 * The base name of `text` (after its last / or \), without anything that could climb
 * directories, break a header or hide characters; '' when nothing is left.
 */
function safeFileName(text: string): string {
	const base = text.split(/[/\\]/).pop() ?? '';
	const name = base.replace(UNSAFE_IN_FILE_NAME, '').replace(UNSAFE_EDGES, '');
	return name && bounded(WINDOWS_DEVICE.test(name) ? `_${name}` : name);
}

/**
 * The attachment's file name: the safe base name of the link's last path segment when it looks
 * like a file name, otherwise one made from the message type. Never a directory: both come from
 * the delivery.
 */
function attachmentFileName(url: string, type: string): string {
	const segment = parseUrl(url)?.pathname.split('/').filter(Boolean).pop() ?? '';
	const fromLink = safeFileName(decoded(segment));
	if (fromLink.includes('.')) return fromLink;
	return safeFileName(type) || 'attachment';
}

const tooLarge = (limitName: string) =>
	new DownloadRefused(`the attachment is larger than ${limitName}`);

const limitNameOf = (options: AttachmentOptions) =>
	options.limitName ?? `the ${options.maxBytes} byte limit`;

/**
 * Reads the body up to `maxBytes`, stopping (and closing the connection) as soon as it is
 * exceeded or the deadline passes: an oversized or endless body never sits in memory.
 */
async function readLimited(
	body: unknown,
	maxBytes: number,
	limitName: string,
	deadline: AbortSignal,
): Promise<Buffer> {
	if (Buffer.isBuffer(body)) {
		if (body.length > maxBytes) throw tooLarge(limitName);
		return body;
	}
	if (!isByteStream(body)) return Buffer.from(typeof body === 'string' ? body : '');
	const stream = body;
	const stop = () => stream.destroy(new Error('deadline'));
	deadline.addEventListener('abort', stop, { once: true });
	try {
		const chunks: Buffer[] = [];
		let total = 0;
		for await (const chunk of stream) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			total += bytes.length;
			if (total > maxBytes) throw tooLarge(limitName);
			chunks.push(bytes);
		}
		return Buffer.concat(chunks);
	} finally {
		deadline.removeEventListener('abort', stop);
	}
}

/** One GET whose connection the caller can close at any time; the deadline also closes it. */
async function get(ctx: IWebhookFunctions, url: string, deadline: AbortSignal): Promise<Hop> {
	const own = new AbortController();
	const response = (await ctx.helpers.httpRequest({
		url,
		method: 'GET',
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Redirects are followed here, not by the client, so every hop meets the address rule.
		disableFollowRedirect: true,
		timeout: ATTACHMENT_DEADLINE_MS,
		abortSignal: AbortSignal.any([deadline, own.signal]),
	})) as StreamedResponse;
	const release = () => {
		const body = response.body;
		// Aborting makes the client emit an error on the body; nobody reads it any more.
		if (isByteStream(body)) body.on('error', ignore);
		own.abort();
		if (isByteStream(body)) body.destroy();
	};
	return { response, release };
}

const ignore = () => undefined;

/** GETs `url`, following at most MAX_ATTACHMENT_REDIRECTS redirects, each hop checked first. */
async function fetchChecked(
	ctx: IWebhookFunctions,
	url: string,
	deadline: AbortSignal,
): Promise<Hop> {
	let current = url;
	for (let hop = 0; ; hop++) {
		const refusal = mediaUrlRefusal(current);
		if (refusal) throw new DownloadRefused(refusal);
		const answer = await get(ctx, current, deadline);
		const { response } = answer;
		if (!REDIRECT_STATUSES.includes(response.statusCode)) return answer;
		answer.release();
		const location = header(response, 'location');
		if (!location) throw new DownloadRefused('the attachment server redirected without a location');
		if (hop >= MAX_ATTACHMENT_REDIRECTS) {
			throw new DownloadRefused(
				`the attachment server redirected more than ${MAX_ATTACHMENT_REDIRECTS} times`,
			);
		}
		current = new URL(location, current).href;
	}
}

async function download(
	ctx: IWebhookFunctions,
	url: string,
	options: AttachmentOptions,
	deadline: AbortSignal,
): Promise<AttachmentResult> {
	const { response, release } = await fetchChecked(ctx, url, deadline);
	try {
		return await toAttachment(ctx, url, response, options, deadline);
	} finally {
		// Closes what is left: an unread error page, an oversized or endless body.
		release();
	}
}

async function toAttachment(
	ctx: IWebhookFunctions,
	url: string,
	response: StreamedResponse,
	options: AttachmentOptions,
	deadline: AbortSignal,
): Promise<AttachmentResult> {
	if (response.statusCode >= 400) {
		return {
			ok: false,
			error: EXPIRED_STATUSES.includes(response.statusCode)
				? `the attachment link has expired or is missing (${response.statusCode}); WhatsAble media links are valid for 24 hours`
				: `the attachment server answered ${response.statusCode}`,
		};
	}
	const declared = Number(header(response, 'content-length') ?? NaN);
	if (Number.isFinite(declared) && declared > options.maxBytes) throw tooLarge(limitNameOf(options));
	const data = await readLimited(response.body, options.maxBytes, limitNameOf(options), deadline);
	if (options.sha256) {
		const actual = createHash('sha256').update(data).digest('hex');
		if (actual.toLowerCase() !== options.sha256.toLowerCase()) {
			return {
				ok: false,
				error: 'the attachment does not match the SHA-256 given in the delivery',
			};
		}
	}
	const mimeType = header(response, 'content-type')?.split(';')[0].trim() || undefined;
	const binary = await ctx.helpers.prepareBinaryData(
		data,
		attachmentFileName(url, options.type),
		mimeType,
	);
	return { ok: true, binary, bytes: data.length };
}

/**
 * Downloads a message attachment into binary data: https to public addresses only (every
 * redirect hop included), at most `maxBytes` read, one total deadline. Media links expire after
 * 24 hours, so any failure becomes an `attachmentError` on the item rather than a failed delivery.
 */
export async function downloadAttachment(
	ctx: IWebhookFunctions,
	url: string,
	options: AttachmentOptions,
): Promise<AttachmentResult> {
	const deadlineMs = options.deadlineMs ?? ATTACHMENT_DEADLINE_MS;
	const deadline = AbortSignal.timeout(deadlineMs);
	try {
		return await download(ctx, url, options, deadline);
	} catch (error) {
		if (error instanceof DownloadRefused) return { ok: false, error: error.message };
		return {
			ok: false,
			error: deadline.aborted
				? `the attachment download did not finish within ${deadlineMs / 1000} seconds`
				: 'the attachment could not be downloaded (network error)',
		};
	}
}
