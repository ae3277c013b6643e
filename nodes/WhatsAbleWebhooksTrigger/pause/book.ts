/** The most contacts paused at once per trigger: the soonest to end go first beyond it. */
export const MAX_PAUSED_CONTACTS = 5000;
/** The longest pause the option allows (a day): a saved entry ending later was not made by a trigger. */
export const MAX_PAUSE_MS = 24 * 60 * 60 * 1000;
/** Clock difference tolerated between processes when judging a saved entry's end. */
const SKEW_MS = 60_000;

/*
 * Persisted as ONE string, like the duplicate window (dedupe/window.ts): n8n proxies every nested
 * value of static data on each request. Entry = phone digits, ':', end time in base 36, ';'.
 */
const PACKED_PREFIX = 'p1:';
const ENTRY = /^(\d{1,20}):([0-9a-z]{1,11})$/;

/** Whether a pause ending at `until` still holds at `now`, and could have been made by a trigger. */
function current(until: number, now: number): boolean {
	return until > now && until - now <= MAX_PAUSE_MS + SKEW_MS;
}

/** The entries of a packed book; anything malformed is skipped (static data is outsider-shaped). */
function packedEntries(packed: unknown): Array<[string, number]> {
	if (typeof packed !== 'string' || !packed.startsWith(PACKED_PREFIX)) return [];
	const entries: Array<[string, number]> = [];
	for (const part of packed.slice(PACKED_PREFIX.length).split(';')) {
		const match = ENTRY.exec(part);
		if (match) entries.push([match[1], parseInt(match[2], 36)]);
	}
	return entries;
}

/** Contacts whose incoming messages wait while a human talks to them: phone → end of the pause. */
export class PauseBook {
	private readonly ends = new Map<string, number>();

	constructor(private readonly maxContacts = MAX_PAUSED_CONTACTS) {}

	get size(): number {
		return this.ends.size;
	}

	/** When the contact's pause ends, or undefined when the contact is not paused at `now`. */
	endOf(phone: string, now: number): number | undefined {
		const until = this.ends.get(phone);
		return until !== undefined && current(until, now) ? until : undefined;
	}

	/** Pauses the contact until `until`; a later end already known wins. */
	pause(phone: string, until: number, now: number): void {
		if (!current(until, now)) return;
		const known = this.ends.get(phone);
		if (known !== undefined && known >= until) return;
		this.ends.set(phone, until);
		if (this.ends.size > this.maxContacts) this.trim(now);
	}

	/** Adds a persisted copy's pauses (another process's, or this one's before a restart). */
	mergePacked(packed: unknown, now: number): void {
		for (const [phone, until] of packedEntries(packed)) this.pause(phone, until, now);
	}

	/** Drops ended pauses and, beyond the bound, the soonest to end. */
	private trim(now: number): void {
		for (const [phone, until] of this.ends) if (!current(until, now)) this.ends.delete(phone);
		if (this.ends.size <= this.maxContacts) return;
		const soonest = [...this.ends.entries()].sort((a, b) => a[1] - b[1]);
		for (const [phone] of soonest.slice(0, this.ends.size - this.maxContacts)) {
			this.ends.delete(phone);
		}
	}

	/** The persisted form, ended pauses left out. */
	pack(now: number): string {
		this.trim(now);
		let packed = PACKED_PREFIX;
		for (const [phone, until] of this.ends) packed += `${phone}:${until.toString(36)};`;
		return packed;
	}

	/** Whether the persisted copy `saved` lacks a pause this book holds, or ends it sooner. */
	lacksIn(saved: unknown, now: number): boolean {
		const savedEnds = new Map(packedEntries(saved));
		for (const [phone, until] of this.ends) {
			if (!current(until, now)) continue;
			if ((savedEnds.get(phone) ?? 0) < until) return true;
		}
		return false;
	}
}
