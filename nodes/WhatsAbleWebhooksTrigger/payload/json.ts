export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Drops the keys that let a later merge rewrite a prototype: `__proto__`, and a `constructor`
 * object carrying `prototype`. JSON.parse itself only makes them own properties; the danger is in
 * code that copies the result key by key.
 */
function reviver(key: string, value: unknown): unknown {
	if (key === '__proto__') return undefined;
	if (
		key === 'constructor' &&
		typeof value === 'object' &&
		value !== null &&
		Object.prototype.hasOwnProperty.call(value, 'prototype')
	) {
		return undefined;
	}
	return value;
}

// A reviver makes JSON.parse several times slower, so it only runs when the text could hold one of
// those keys: spelled out, or written with \u escapes of ASCII letters or "_". A harmful
// `constructor` always comes with "prototype", which is the cheaper word to search for.
const ESCAPED_ASCII = /\\u00[2-7][0-9a-f]/i;

function mayHoldDangerousKey(text: string): boolean {
	return (
		text.includes('__proto__') ||
		text.includes('prototype') ||
		(text.includes('\\u') && ESCAPED_ASCII.test(text))
	);
}

/** JSON.parse that never throws, tolerates a UTF-8 BOM and removes prototype-pollution keys. */
export function parseJsonBody(raw: string): JsonParseResult {
	if (typeof raw !== 'string') return { ok: false, reason: 'the body is not text' };
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	if (text.trim() === '') return { ok: false, reason: 'the body is empty' };
	try {
		const value: unknown = mayHoldDangerousKey(text) ? JSON.parse(text, reviver) : JSON.parse(text);
		return { ok: true, value };
	} catch {
		// The engine's message quotes part of the body, so it is not passed on.
		return { ok: false, reason: 'the body is not valid JSON' };
	}
}
