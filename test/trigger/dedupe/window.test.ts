/**
 * The duplicate window: bounds (1,000 ids, 24 hours), and its persisted form, which is one string
 * (cheap for n8n to load with every request) that reads back exactly, accepts the array form
 * earlier versions wrote, and never lets a damaged copy break deliveries.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	DEDUPE_MAX_ENTRIES,
	DEDUPE_TTL_MS,
	DedupeWindow,
	dedupeKey,
	packedKeys,
	packedEntries,
} from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { persistWindow, windowFor } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/store';
import { forgetProcessWindows } from '../../support/restart';

const T0 = Date.parse('2026-11-23T12:00:00Z');

function windowWith(count: number, start = T0): DedupeWindow {
	const window = new DedupeWindow();
	for (let i = 0; i < count; i++) window.checkAndRecord(dedupeKey(`evt-${i}`), start + i);
	return window;
}

describe('duplicate window', () => {
	afterEach(() => forgetProcessWindows());

	it('answers a repeated id within 24 hours as seen, and forgets it after', () => {
		const window = new DedupeWindow();
		const key = dedupeKey('evt-1');
		expect(window.checkAndRecord(key, T0)).toBe(true);
		expect(window.checkAndRecord(key, T0 + DEDUPE_TTL_MS - 1)).toBe(false);
		expect(window.checkAndRecord(key, T0 + 2 * DEDUPE_TTL_MS)).toBe(true);
	});

	it('keeps the newest 1,000 ids', () => {
		const window = windowWith(DEDUPE_MAX_ENTRIES + 5);
		expect(window.size).toBe(DEDUPE_MAX_ENTRIES);
		expect(window.checkAndRecord(dedupeKey('evt-0'), T0 + 2000)).toBe(true); // evicted
		expect(window.checkAndRecord(dedupeKey(`evt-${DEDUPE_MAX_ENTRIES + 4}`), T0 + 2000)).toBe(
			false,
		);
	});

	it('persists as one string holding no arrays or objects, 25 characters per id', () => {
		const data: IDataObject = {};
		persistWindow(data, windowWith(DEDUPE_MAX_ENTRIES), T0 + 2000);
		expect(typeof data.seen).toBe('string');
		expect((data.seen as string).length).toBe(3 + 25 * DEDUPE_MAX_ENTRIES);
	});

	it('reads back exactly what it wrote, in order', () => {
		const window = windowWith(50);
		const data: IDataObject = {};
		persistWindow(data, window, T0 + 100);
		const entries = packedEntries(data.seen);
		expect(entries).toHaveLength(50);
		expect(entries[0]).toEqual([dedupeKey('evt-0'), T0]);
		expect(entries[49]).toEqual([dedupeKey('evt-49'), T0 + 49]);
	});

	it('after a restart, a process window starts from the persisted copy', () => {
		const data: IDataObject = {};
		persistWindow(data, windowWith(3), T0 + 10);
		const window = windowFor('wf:node:production', data, T0 + 10);
		expect(window.checkAndRecord(dedupeKey('evt-1'), T0 + 10)).toBe(false);
		expect(window.checkAndRecord(dedupeKey('evt-3'), T0 + 10)).toBe(true);
	});

	it.each([
		['an unknown string', 'something else'],
		['a truncated entry', `w1:${dedupeKey('a')}00000`],
		['a number', 42],
		['an object of arrays', { keys: [dedupeKey('a')], at: [T0] }],
		['null', null],
	])('ignores a damaged copy (%s) instead of failing deliveries', (_, seen) => {
		expect(packedEntries(seen)).toEqual([]);
		const window = windowFor('wf:node:production', { seen } as IDataObject, T0);
		expect(window.checkAndRecord(dedupeKey('a'), T0)).toBe(true);
	});

	it('skips entries whose key or time is not valid', () => {
		const good = `${dedupeKey('good')}${T0.toString(36).padStart(9, '0')}`;
		const badKey = `${'!'.repeat(16)}${T0.toString(36).padStart(9, '0')}`;
		const badTime = `${dedupeKey('bad')}${'#'.repeat(9)}`;
		expect(packedEntries(`w1:${good}${badKey}${badTime}`)).toEqual([
			[dedupeKey('good'), T0],
		]);
	});
});

describe('merging another copy of the window', () => {
	const keyOf = (n: number) => `k${String(n).padStart(15, '0')}`;

	it('keeps, for each key, its latest time and only the newest 1,000, from a copy of 200,000 entries', () => {
		const window = new DedupeWindow();
		window.checkAndRecord(keyOf(0), T0);
		const huge: Array<[string, number]> = Array.from({ length: 200_000 }, (_, i) => [keyOf(i), T0 - 200_000 + i]);
		window.merge(huge, T0);
		const entries = packedEntries(window.pack());
		expect(entries).toHaveLength(DEDUPE_MAX_ENTRIES);
		expect(entries[0]).toEqual([keyOf(199_001), T0 - 999]);
		// keyOf(0) was recorded at T0 here: its latest time keeps it, the newest of all.
		expect(entries.at(-1)).toEqual([keyOf(0), T0]);
	});

	it('drops entries dated in the future: no process recorded them', () => {
		const window = new DedupeWindow();
		window.merge(
			[
				[keyOf(1), T0 + 10 * 365 * 86_400_000],
				[keyOf(2), T0 + 5_000],
			],
			T0,
		);
		expect(packedKeys(window.pack())).toEqual([keyOf(2)]);
	});
});

describe('what a saved copy holds and lacks', () => {
	it('holds no key of a delivery whose execution may not be queued yet, until released', () => {
		const window = windowWith(2);
		window.checkAndRecord(dedupeKey('fresh'), T0 + 5);
		window.hold([dedupeKey('fresh')]);
		expect(packedKeys(window.pack())).toEqual([dedupeKey('evt-0'), dedupeKey('evt-1')]);
		expect(window.checkAndRecord(dedupeKey('fresh'), T0 + 6)).toBe(false); // still a duplicate here
		window.release([dedupeKey('fresh')]);
		expect(packedKeys(window.pack())).toContain(dedupeKey('fresh'));
	});

	it('forgets a failed delivery entirely: its retry is new', () => {
		const window = windowWith(1);
		window.checkAndRecord(dedupeKey('failed'), T0 + 5);
		window.hold([dedupeKey('failed')]);
		window.forget([dedupeKey('failed')]);
		expect(window.checkAndRecord(dedupeKey('failed'), T0 + 6)).toBe(true);
	});

	it('reports the keys a copy lacks, but not those it would have dropped anyway', () => {
		const saved = windowWith(3).pack();
		const mine = windowWith(3);
		mine.checkAndRecord(dedupeKey('new'), T0 + 10);
		expect(DedupeWindow.missingFrom(mine.pack(), saved, T0 + 20)).toEqual([dedupeKey('new')]);
		expect(DedupeWindow.missingFrom(mine.pack(), mine.pack(), T0 + 20)).toEqual([]);
		// Expired, or older than every entry of a full copy: not missing.
		expect(DedupeWindow.missingFrom(mine.pack(), saved, T0 + 10 + DEDUPE_TTL_MS)).toEqual([]);
		const full = windowWith(3, T0 + 100).pack();
		expect(DedupeWindow.missingFrom(mine.pack(), full, T0 + 200, 3)).toEqual([]);
		expect(DedupeWindow.missingFrom('garbage', saved, T0)).toEqual([]);
	});

	it('writes static data only when the loaded copy lacks a key: a write that adds nothing could hide another process\'s', () => {
		const window = windowWith(3);
		const data: IDataObject = { seen: window.pack() };
		const loaded = data.seen;
		expect(persistWindow(data, window, T0 + 10)).toEqual([]);
		expect(data.seen).toBe(loaded);
		window.checkAndRecord(dedupeKey('new'), T0 + 11);
		expect(persistWindow(data, window, T0 + 12)).toEqual([dedupeKey('new')]);
		expect(packedKeys(data.seen)).toContain(dedupeKey('new'));
	});
});
