/**
 * The one redaction applied to every text built from a server's answer (error messages and
 * descriptions): a server or proxy that echoes the request must not put the API token, the
 * password or the signature secret into execution data or n8n's event log, whether it echoes
 * them as they are, cut short, base64-encoded or with invisible characters inside.
 */
export const REDACTED = '[redacted]';

/** Shorter values are not replaced: they would mangle ordinary words without protecting much. */
const MIN_SECRET_LENGTH = 8;

/** An echo cut off after this many characters of a secret's start still gives most of it away. */
const MIN_PREFIX_LENGTH = 24;

/** Characters that show nothing, so an echo can hide them inside a secret; matching looks through them. */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/g;

/** Characters of base64 and base64url, for taking in the whole encoded run around a match. */
const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
	// Any bearer credential, whoever's it is.
	[/\bBearer\s+[^\s"'<>,;]+/gi, `Bearer ${REDACTED}`],
	// An echoed Authorization header, as a header line, JSON or a query string: the whole value.
	[/(authorization["']?\s*[:=]\s*["']?)[^"'\r\n<>]+/gi, `$1${REDACTED}`],
	// Token-, secret- and key-named fields or parameters.
	[/([\w-]*(?:token|secret|key|password)["']?\s*[:=]\s*["']?)[^\s"'&<>,;}]+/gi, `$1${REDACTED}`],
];

/** [start, end) in the visible text. */
type Span = [number, number];

/**
 * The part of base64(secret) that does not depend on what surrounds the secret, for each of the
 * three positions it can take in the encoded bytes (so base64 of "Bearer <secret>", of a header
 * line or of "user:<secret>" is found too), in base64 and base64url.
 */
function encodedCores(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const cores = new Set<string>();
	for (let offset = 0; offset < 3; offset++) {
		const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
		// Only characters whose six bits all come from the secret.
		const start = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const core = encoded.slice(start, end);
		cores.add(core);
		cores.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return [...cores];
}

function occurrences(text: string, needle: string): number[] {
	const found: number[] = [];
	for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) found.push(i);
	return found;
}

/** Where `secret` shows in `text`: whole or by its first MIN_PREFIX_LENGTH characters, or encoded. */
function spansOf(text: string, secret: string): Span[] {
	const spans: Span[] = [];
	const head = secret.slice(0, MIN_PREFIX_LENGTH);
	for (const start of occurrences(text, head)) {
		let end = start + head.length;
		while (end - start < secret.length && text[end] === secret[end - start]) end++;
		spans.push([start, end]);
	}
	for (const core of encodedCores(secret)) {
		for (const at of occurrences(text, core)) {
			// The whole encoded run: its edges carry the rest of the secret's bits.
			let start = at;
			let end = at + core.length;
			while (start > 0 && BASE64_CHAR.test(text[start - 1])) start--;
			while (end < text.length && BASE64_CHAR.test(text[end])) end++;
			while (text[end] === '=') end++;
			spans.push([start, end]);
		}
	}
	return spans;
}

/** `text` without its invisible characters, and where a character left stands in `text`. */
function visibleOf(text: string): { visible: string; positionOf: (index: number) => number } {
	const hidden = Array.from(text.matchAll(INVISIBLE), (match) => match.index);
	return {
		visible: hidden.length === 0 ? text : text.replace(INVISIBLE, ''),
		positionOf: (index) => {
			let position = index;
			for (const at of hidden) {
				if (at > position) break;
				position++;
			}
			return position;
		},
	};
}

/** Replaces the secrets' spans, found in `text` without its invisible characters, in `text` itself. */
function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const { visible, positionOf } = visibleOf(text);
	const spans = secrets
		.map((secret) => visibleOf(secret ?? '').visible)
		.filter((secret) => secret.length >= MIN_SECRET_LENGTH)
		.flatMap((secret) => spansOf(visible, secret))
		.sort((a, b) => a[0] - b[0]);
	let out = '';
	let copied = 0;
	for (const [start, end] of spans) {
		const from = positionOf(start);
		const to = positionOf(end - 1) + 1;
		// Overlapping spans make one replacement.
		if (from >= copied) out += text.slice(copied, from) + REDACTED;
		copied = Math.max(copied, to);
	}
	return out + text.slice(copied);
}

export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let out = redactSecrets(text, secrets);
	for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
	return out;
}
