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
const DAY_MS = 86400000;

// "00" to "99", so formatting a time allocates no intermediate strings.
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => (n < 10 ? '0' : '') + n);

function pad(n: number, width: number): string {
	return width === 2 ? TWO_DIGITS[n] : String(n).padStart(width, '0');
}

/**
 * What `new Date(ms).toISOString()` gives, or null outside years 0000-9999, computed without a
 * Date: the trigger formats three times per delivery and Date allocation showed in profiles.
 * Days to civil date after Howard Hinnant's `civil_from_days`.
 */
export function isoFromMs(ms: number): string | null {
	if (!(ms >= MIN_MS && ms <= MAX_MS)) return null;
	const t = Math.trunc(ms);
	const days = Math.floor(t / DAY_MS);
	const inDay = t - days * DAY_MS;
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor(
		(doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
	);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	return (
		pad(year, 4) +
		'-' +
		pad(month, 2) +
		'-' +
		pad(day, 2) +
		'T' +
		pad(Math.floor(inDay / 3600000), 2) +
		':' +
		pad(Math.floor(inDay / 60000) % 60, 2) +
		':' +
		pad(Math.floor(inDay / 1000) % 60, 2) +
		'.' +
		pad(inDay % 1000, 3) +
		'Z'
	);
}

/** Unix seconds (or milliseconds, or a date string) to ISO; 0, negatives and junk give null. */
export function unixToIso(value: number | string | null | undefined): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return dateToIso(value);
	if (!(value > 0)) return null;
	return isoFromMs(value >= MS_THRESHOLD ? value : value * 1000);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `len` ASCII digits at `at`, or -1. */
function digitsAt(s: string, at: number, len: number): number {
	let n = 0;
	for (let i = at; i < at + len; i++) {
		const c = s.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		n = n * 10 + c;
	}
	return n;
}

/**
 * UTC ISO 8601 as WhatsAble writes it ("2025-06-09T14:05:12Z", optionally with milliseconds),
 * read without Date: a history holds 20 of these per delivery, and Date.parse plus toISOString
 * cost more than the rest of normalising. undefined means "another form; use Date.parse".
 */
function canonicalUtc(s: string): string | null | undefined {
	const withMs = s.length === 24;
	if (!withMs && s.length !== 20) return undefined;
	const separators = s[4] + s[7] + s[10] + s[13] + s[16] + s[s.length - 1];
	if (separators !== '--T::Z' || (withMs && (s[19] !== '.' || digitsAt(s, 20, 3) < 0))) {
		return undefined;
	}
	const year = digitsAt(s, 0, 4);
	const month = digitsAt(s, 5, 2);
	const day = digitsAt(s, 8, 2);
	const hour = digitsAt(s, 11, 2);
	const minute = digitsAt(s, 14, 2);
	const second = digitsAt(s, 17, 2);
	if (year < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
	if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return null;
	if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
		return null;
	}
	if (hour > 23 || minute > 59 || second > 59) return null;
	return withMs ? s : s.slice(0, 19) + '.000Z';
}

/** A date string (ISO 8601 expected) to canonical ISO; numbers are read as Unix times. */
export function dateToIso(value: number | string | null | undefined): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number') return unixToIso(value);
	const fast = canonicalUtc(value);
	if (fast !== undefined) return fast;
	const s = value.trim();
	if (s === '') return null;
	if (/^\d+(\.\d+)?$/.test(s)) return unixToIso(Number(s));
	return isoFromMs(Date.parse(s));
}
