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
// those keys: spelled out, or written with \u escapes of ASCII letters or "_". Both "__proto__"
// and "prototype" (which a harmful `constructor` always carries) contain "proto": one search.
const ESCAPED_ASCII = /\\u00[2-7][0-9a-f]/i;

function mayHoldDangerousKey(text: string): boolean {
	return text.includes('proto') || (text.includes('\\u') && ESCAPED_ASCII.test(text));
}

/**
 * JSON.parse builds any depth, but JSON.stringify, structuredClone and n8n's item handling recurse
 * and overflow the stack on a few thousand levels. WhatsAble's deepest shape (Meta's) is 7 deep.
 */
export const MAX_JSON_DEPTH = 64;

/** Depth can only exceed the number of opening brackets; counting them is a few native scans. */
function fewBrackets(text: string): boolean {
	let count = 0;
	for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) {
		if (++count > MAX_JSON_DEPTH) return false;
	}
	for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) {
		if (++count > MAX_JSON_DEPTH) return false;
	}
	return true;
}

/** Recurses at most `levels` deep, so it is safe on any input. */
function deeperThan(value: unknown, levels: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	if (levels === 0) return true;
	const children = Array.isArray(value) ? value : Object.values(value);
	for (let i = 0; i < children.length; i++) {
		if (deeperThan(children[i], levels - 1)) return true;
	}
	return false;
}

/**
 * JSON.parse that never throws, tolerates a UTF-8 BOM, removes prototype-pollution keys and
 * refuses nesting deeper than MAX_JSON_DEPTH.
 */
export function parseJsonBody(raw: string): JsonParseResult {
	if (typeof raw !== 'string') return { ok: false, reason: 'the body is not text' };
	const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	if (text.trim() === '') return { ok: false, reason: 'the body is empty' };
	let value: unknown;
	try {
		value = mayHoldDangerousKey(text) ? JSON.parse(text, reviver) : JSON.parse(text);
	} catch {
		// The engine's message quotes part of the body, so it is not passed on.
		return { ok: false, reason: 'the body is not valid JSON' };
	}
	if (!fewBrackets(text) && deeperThan(value, MAX_JSON_DEPTH)) {
		return { ok: false, reason: `the body is nested more than ${MAX_JSON_DEPTH} levels deep` };
	}
	return { ok: true, value };
}
