/**
 * Lenient readers for single wire values. Each returns undefined for a value it cannot use, so a
 * wrong type in one field makes that field absent instead of failing the whole delivery.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strings as they are; finite numbers and bigints as decimal text (WhatsAble sends ids both ways). */
export function asString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		// Large integers would print in exponent form; BigInt keeps every digit.
		return Number.isInteger(value) && Math.abs(value) >= 1e21
			? BigInt(value).toString()
			: String(value);
	}
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

/** Numbers, and numeric strings such as "1749506891". */
export function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const n = Number(value);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

export { asBoolean } from '../../shared/readers';

/** A time as sent: Unix seconds (number or numeric string) or a date string. */
export function asTime(value: unknown): number | string | undefined {
	const n = asNumber(value);
	if (n !== undefined) return n;
	return typeof value === 'string' ? value : undefined;
}

/** Labels arrive as one comma-separated string; an array of strings is accepted too. */
export function asLabels(value: unknown): string[] | undefined {
	let parts: unknown[];
	if (typeof value === 'string') parts = value.split(',');
	else if (Array.isArray(value)) parts = value;
	else return undefined;
	const out: string[] = [];
	for (const part of parts) {
		const s = asString(part)?.trim();
		if (s) out.push(s);
	}
	return out;
}

/** '' means "none" in every WhatsAble text field. */
export function textOrNull(value: string | null | undefined): string | null {
	return value === undefined || value === null || value === '' ? null : value;
}

/** Keeps only digits, so "+1 (415) 555-2671" and 14155552671 both give "14155552671". */
export function digitsOrNull(value: string | null | undefined): string | null {
	if (value === undefined || value === null) return null;
	const digits = value.replace(/\D/g, '');
	return digits === '' ? null : digits;
}

// Beyond this a "seconds" value can only be milliseconds (it would be after the year 5000).
const MS_THRESHOLD = 1e11;

// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: outside them ISO needs a signed year.
const MIN_MS = -62167219200000;
const MAX_MS = 253402300799999;

/** What `new Date(ms).toISOString()` gives, or null outside years 0000-9999. */
export function isoFromMs(ms: number): string | null {
	return ms >= MIN_MS && ms <= MAX_MS ? new Date(Math.trunc(ms)).toISOString() : null;
}

/** Unix seconds (or milliseconds, or a date string) to ISO; 0, negatives and junk give null. */
export function unixToIso(value: number | string | null | undefined): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return dateToIso(value);
	if (!(value > 0)) return null;
	return isoFromMs(value >= MS_THRESHOLD ? value : value * 1000);
}

/** UTC ISO 8601 as WhatsAble writes it, optionally with milliseconds. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** A date string (ISO 8601 expected) to canonical ISO; numbers are read as Unix times. */
export function dateToIso(value: number | string | null | undefined): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number') return unixToIso(value);
	const s = value.trim();
	if (s === '') return null;
	if (/^\d+(\.\d+)?$/.test(s)) return unixToIso(Number(s));
	const iso = isoFromMs(Date.parse(s));
	// Date.parse rolls "02-30" or "24:00" over into the next day: such a date does not exist.
	if (iso !== null && CANONICAL_UTC.test(value) && iso.slice(0, 19) !== value.slice(0, 19))
		return null;
	return iso;
}
