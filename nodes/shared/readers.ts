/**
 * Lenient readers for values users, expressions and AI agents fill in, and for wire values:
 * one rule each, shared by both nodes and the payload model.
 */

/** Booleans, "true"/"false" in any case, "1"/"0" and 1/0; anything else undefined. */
export function asBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const s = value.trim().toLowerCase();
		if (s === 'true' || s === '1') return true;
		if (s === 'false' || s === '0') return false;
	}
	return undefined;
}

export function readBoolean(value: unknown, fallback: boolean): boolean {
	return asBoolean(value) ?? fallback;
}

/** ASCII digits only: Number() also reads hex, exponents, signs and fractions as whole numbers. */
const DIGITS = /^[0-9]+$/;

/**
 * A whole number of at least 1 that is exact as a JavaScript number, given as a number or as its
 * digits (surrounding whitespace allowed); anything else undefined.
 */
export function asPositiveInteger(value: unknown): number | undefined {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const n = text === undefined ? value : DIGITS.test(text) ? Number(text) : undefined;
	return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/**
 * The code of a failed request's error (ECONNREFUSED, ETIMEDOUT, ...), if it has one. Only the
 * code is ever read: the raw error can carry the request, its headers and body included.
 */
export function errorCodeOf(error: unknown): string | undefined {
	return error && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
		? error.code
		: undefined;
}
