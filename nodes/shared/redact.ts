/**
 * The one redaction applied to every text built from a server's answer (error messages and
 * descriptions): a server or proxy that echoes the request must not put the API token or the
 * signature secret into execution data or n8n's event log.
 */
export const REDACTED = '[redacted]';

/** Shorter values are not replaced: they would mangle ordinary words without protecting much. */
const MIN_SECRET_LENGTH = 8;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
	// Any bearer credential, whoever's it is.
	[/\bBearer\s+[^\s"'<>,;]+/gi, `Bearer ${REDACTED}`],
	// An echoed Authorization header, as a header line, JSON or a query string: the whole value.
	[/(authorization["']?\s*[:=]\s*["']?)[^"'\r\n<>]+/gi, `$1${REDACTED}`],
	// Token-, secret- and key-named fields or parameters.
	[/([\w-]*(?:token|secret|key|password)["']?\s*[:=]\s*["']?)[^\s"'&<>,;}]+/gi, `$1${REDACTED}`],
];

export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
	}
	for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
	return out;
}
