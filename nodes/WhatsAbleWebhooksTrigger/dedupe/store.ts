import type { IDataObject } from 'n8n-workflow';

import { PerScope } from '../perScope';
import { DedupeWindow } from './window';

/*
 * One window per trigger scope (workflow id + node id + production or test) per process, and
 * static data as the copy every process shares: n8n loads it from the database for each request,
 * so the persisted copy is merged in on EVERY request (what other processes, or this one before a
 * restart, recorded), and written back after recording. The process window stays the authority
 * for what this process saw, because n8n may not save a write: n8n 2.41.1 drops static data
 * written by a delivery that starts an execution (see flush.ts), and with several processes the
 * last writer of the whole column wins, so one process's write may hide another's until that one
 * writes again.
 */
const windows = new PerScope(() => new DedupeWindow());

export function windowFor(scope: string, persisted: IDataObject, now: number): DedupeWindow {
	const window = windows.of(scope);
	window.mergePacked(persisted.seen, now);
	return window;
}

/**
 * Writes the window into static data (whose `seen` is still the copy loaded for this request)
 * only when that copy lacks some of its keys: every write of the whole column may hide another
 * process's, so none is made that adds nothing. Returns the keys the copy lacked.
 */
export function persistWindow(data: IDataObject, window: DedupeWindow, now: number): string[] {
	const packed = window.pack();
	const missing = DedupeWindow.missingFrom(packed, data.seen, now);
	if (missing.length > 0) data.seen = packed;
	return missing;
}

/** Forgets every window this process holds, as a restart does. */
export function forgetWindows(): void {
	windows.clear();
}
