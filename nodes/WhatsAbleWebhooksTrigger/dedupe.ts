import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/** The duplicate window: the last 1,000 event ids, none older than 24 hours. */
export const DEDUPE_MAX_ENTRIES = 1000;
export const DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/** Short, fixed-size key so the persisted window stays small (~30 KB at 1,000 ids). */
export function dedupeKey(eventId: string): string {
	return createHash('sha256').update(eventId).digest('base64url').slice(0, 16);
}

export class DedupeWindow {
	// Map keeps insertion order, so the oldest entry is always first.
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly maxEntries = DEDUPE_MAX_ENTRIES,
		private readonly ttlMs = DEDUPE_TTL_MS,
	) {}

	get size(): number {
		return this.seen.size;
	}

	/** True when the key was not seen within the window; records it either way. */
	checkAndRecord(key: string, now: number): boolean {
		this.expire(now);
		const at = this.seen.get(key);
		if (at !== undefined && now - at < this.ttlMs) return false;
		this.seen.set(key, now);
		if (this.seen.size > this.maxEntries) {
			const oldest = this.seen.keys().next().value;
			if (oldest !== undefined) this.seen.delete(oldest);
		}
		return true;
	}

	private expire(now: number): void {
		for (const [key, at] of this.seen) {
			if (now - at < this.ttlMs) break;
			this.seen.delete(key);
		}
	}

	/** Adds entries from a persisted copy (after a restart), keeping order and bounds. */
	merge(entries: Array<[string, number]>, now: number): void {
		const all = [...entries, ...this.seen.entries()]
			.filter(([, at]) => now - at < this.ttlMs)
			.sort((a, b) => a[1] - b[1]);
		this.seen.clear();
		for (const [key, at] of all) this.seen.set(key, at);
		while (this.seen.size > this.maxEntries) {
			const oldest = this.seen.keys().next().value;
			if (oldest === undefined) break;
			this.seen.delete(oldest);
		}
	}

	toJSON(): { keys: string[]; at: number[] } {
		return { keys: [...this.seen.keys()], at: [...this.seen.values()] };
	}
}

export function readPersisted(data: IDataObject): Array<[string, number]> {
	const persisted = data.seen as { keys?: unknown; at?: unknown } | undefined;
	if (!persisted || !Array.isArray(persisted.keys) || !Array.isArray(persisted.at)) return [];
	const out: Array<[string, number]> = [];
	persisted.keys.forEach((key, i) => {
		const at = (persisted.at as unknown[])[i];
		if (typeof key === 'string' && typeof at === 'number') out.push([key, at]);
	});
	return out;
}

/**
 * One window per trigger (workflow id + node id) per process. n8n 2.41.1 drops static data
 * written by a delivery that starts an execution, so the process-memory window is the authority
 * while n8n runs and static data is its persisted copy, written on deliveries that start no
 * execution and on a flush (see flush.ts). The copy is merged in the first time a process sees
 * the trigger, so the window survives restarts.
 */
const windows = new Map<string, DedupeWindow>();

export function windowFor(scope: string, persisted: IDataObject, now: number): DedupeWindow {
	let window = windows.get(scope);
	if (!window) {
		window = new DedupeWindow();
		window.merge(readPersisted(persisted), now);
		windows.set(scope, window);
	}
	return window;
}

export function persistWindow(data: IDataObject, window: DedupeWindow): void {
	data.seen = window.toJSON();
}

/** For tests: forget every process window, as a restart does. */
export function resetProcessWindows(): void {
	windows.clear();
}
