import { hash } from 'node:crypto';

/** The duplicate window: the last 1,000 event ids, none older than 24 hours. */
export const DEDUPE_MAX_ENTRIES = 1000;
export const DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/*
 * The window is persisted as ONE string: n8n loads static data with every request and wraps
 * each nested object and array element in its change-tracking proxy (twice: webhook phase and
 * execution), so 2,000 array entries cost about a millisecond per delivery; a string costs
 * nothing. Entry = 16-character key + epoch milliseconds in base 36, padded to 9 characters.
 */
const PACKED_PREFIX = 'w1:';
const KEY_CHARS = 16;
const AT_CHARS = 9;
const ENTRY_CHARS = KEY_CHARS + AT_CHARS;
const KEY_PATTERN = /^[A-Za-z0-9_-]{16}$/;
/** The longest a packed window can be: what one flush may carry. */
export const MAX_PACKED_CHARS = PACKED_PREFIX.length + DEDUPE_MAX_ENTRIES * ENTRY_CHARS;
/** An entry dated later than this ahead of now was not recorded by any process: it is dropped. */
export const FUTURE_SKEW_MS = 60_000;

/** Whether an entry recorded at `at` still counts at `now`: not expired, not from the future. */
function current(at: number, now: number, ttlMs: number): boolean {
	return now - at < ttlMs && at - now <= FUTURE_SKEW_MS;
}

/**
 * Short, fixed-size key so the persisted window stays small (25 KB at 1,000 ids). One-shot
 * `hash`: no Hash object per delivery.
 */
export function dedupeKey(eventId: string): string {
	return hash('sha256', eventId, 'base64url').slice(0, KEY_CHARS);
}

export class DedupeWindow {
	// Map keeps insertion order, so the oldest entry is always first.
	private readonly seen = new Map<string, number>();
	/**
	 * Keys of deliveries whose execution n8n may not have queued yet: never persisted, so that a
	 * process killed before queueing cannot make WhatsAble's retry, elsewhere, a "duplicate".
	 */
	private readonly held = new Set<string>();
	/** The persisted copies this window last read and last wrote: merging either again adds nothing. */
	private lastRead: string | undefined;
	private lastWritten: string | undefined;

	constructor(
		private readonly maxEntries = DEDUPE_MAX_ENTRIES,
		private readonly ttlMs = DEDUPE_TTL_MS,
	) {}

	get size(): number {
		return this.seen.size;
	}

	/** Whether the key was seen within the window; records nothing. */
	has(key: string, now: number): boolean {
		const at = this.seen.get(key);
		return at !== undefined && now - at < this.ttlMs;
	}

	/** True when the key was not seen within the window; records it either way. */
	checkAndRecord(key: string, now: number): boolean {
		if (this.has(key, now)) return false;
		this.record([key], now);
		return true;
	}

	/** Records `keys` as seen at `now`, evicting the oldest beyond the bound. */
	record(keys: readonly string[], now: number): void {
		this.expire(now);
		for (const key of keys) {
			this.seen.delete(key);
			this.seen.set(key, now);
			if (this.seen.size > this.maxEntries) {
				const oldest = this.seen.keys().next().value;
				if (oldest !== undefined) this.seen.delete(oldest);
			}
		}
	}

	private expire(now: number): void {
		for (const [key, at] of this.seen) {
			if (now - at < this.ttlMs) break;
			this.seen.delete(key);
		}
	}

	/**
	 * Adds entries from a persisted copy (after a restart) or a flush, keeping order and bounds:
	 * for each key its latest time, the newest `maxEntries`, none expired or from the future.
	 * One pass to collect, one sort of at most the two windows' sizes, one to rebuild.
	 */
	merge(entries: Array<[string, number]>, now: number): void {
		const latest = new Map<string, number>();
		for (const [key, at] of [...this.seen.entries(), ...entries.slice(-this.maxEntries)]) {
			if (!current(at, now, this.ttlMs)) continue;
			const known = latest.get(key);
			if (known === undefined || at > known) latest.set(key, at);
		}
		const kept = [...latest.entries()].sort((a, b) => a[1] - b[1]).slice(-this.maxEntries);
		this.seen.clear();
		for (const [key, at] of kept) this.seen.set(key, at);
	}

	/** Keeps `keys` out of the persisted form until released. */
	hold(keys: string[]): void {
		for (const key of keys) this.held.add(key);
	}

	release(keys: string[]): void {
		for (const key of keys) this.held.delete(key);
	}

	/** Unrecords `keys` (their delivery failed before n8n took it: its retry is no duplicate). */
	forget(keys: string[]): void {
		for (const key of keys) {
			this.held.delete(key);
			this.seen.delete(key);
		}
	}

	/** The persisted form (see PACKED_PREFIX), oldest entry first, held keys left out. */
	pack(): string {
		let packed = PACKED_PREFIX;
		for (const [key, at] of this.seen) {
			if (!this.held.has(key)) packed += key + at.toString(36).padStart(AT_CHARS, '0');
		}
		this.lastWritten = packed;
		return packed;
	}

	/**
	 * Keys of the packed window `packed` that the persisted copy `saved` lacks although it would
	 * keep them (not expired, not older than every entry of a full copy): what a write that
	 * raced with another process's lost, or what was never saved.
	 */
	static missingFrom(
		packed: unknown,
		saved: unknown,
		now: number,
		maxEntries = DEDUPE_MAX_ENTRIES,
		ttlMs = DEDUPE_TTL_MS,
	): string[] {
		if (typeof packed !== 'string') return [];
		const savedEntries = packedEntries(saved);
		const savedKeys = new Set(savedEntries.map(([key]) => key));
		const oldestKept =
			savedEntries.length >= maxEntries
				? savedEntries.reduce((min, [, at]) => Math.min(min, at), Infinity)
				: -Infinity;
		return unpack(packed)
			.filter(([key, at]) => !savedKeys.has(key) && current(at, now, ttlMs) && at >= oldestKept)
			.map(([key]) => key);
	}

	/**
	 * Merges a persisted copy (another process's, or this one's from before a restart) unless it
	 * is the copy this window last read or wrote; anything that is not a packed window adds nothing.
	 */
	mergePacked(packed: unknown, now: number): void {
		if (typeof packed !== 'string' || packed === this.lastRead || packed === this.lastWritten)
			return;
		this.lastRead = packed;
		const entries = unpack(packed);
		if (entries.length > 0) this.merge(entries, now);
	}
}

function unpack(packed: string): Array<[string, number]> {
	const out: Array<[string, number]> = [];
	if (!packed.startsWith(PACKED_PREFIX)) return out;
	const body = packed.slice(PACKED_PREFIX.length);
	if (body.length % ENTRY_CHARS !== 0) return out;
	for (let i = 0; i < body.length; i += ENTRY_CHARS) {
		const key = body.slice(i, i + KEY_CHARS);
		const at = parseInt(body.slice(i + KEY_CHARS, i + ENTRY_CHARS), 36);
		if (KEY_PATTERN.test(key) && Number.isSafeInteger(at)) out.push([key, at]);
	}
	return out;
}

/** The entries (key, time) of a packed window, oldest first; anything that is not one has none. */
export function packedEntries(packed: unknown): Array<[string, number]> {
	return typeof packed === 'string' ? unpack(packed) : [];
}

/** The keys of a packed window, oldest first. */
export function packedKeys(packed: unknown): string[] {
	return packedEntries(packed).map(([key]) => key);
}
