/**
 * The pause book: pauses end by themselves, a later end wins, the book is bounded, and its
 * persisted form round-trips while refusing entries no trigger could have made.
 */
import { MAX_PAUSE_MS, PauseBook } from '../../../nodes/WhatsAbleWebhooksTrigger/pause/book';

const T0 = Date.UTC(2026, 11, 6, 12);
const MINUTE = 60_000;

test('a pause holds until its end, then ends by itself', () => {
	const book = new PauseBook();
	book.pause('4915112345678', T0 + 10 * MINUTE, T0);
	expect(book.endOf('4915112345678', T0 + 9 * MINUTE)).toBe(T0 + 10 * MINUTE);
	expect(book.endOf('4915112345678', T0 + 10 * MINUTE)).toBeUndefined();
	expect(book.endOf('4915100000000', T0)).toBeUndefined();
});

test('each new human message restarts the pause; an earlier end never shortens it', () => {
	const book = new PauseBook();
	book.pause('1', T0 + 10 * MINUTE, T0);
	book.pause('1', T0 + 25 * MINUTE, T0 + 15 * MINUTE);
	expect(book.endOf('1', T0 + 20 * MINUTE)).toBe(T0 + 25 * MINUTE);
	book.pause('1', T0 + 12 * MINUTE, T0);
	expect(book.endOf('1', T0 + 20 * MINUTE)).toBe(T0 + 25 * MINUTE);
});

test('the persisted form carries current pauses to another book (a restart, another process)', () => {
	const book = new PauseBook();
	book.pause('1', T0 + MINUTE, T0);
	book.pause('2', T0 + 3 * MINUTE, T0);
	const packed = book.pack(T0 + 2 * MINUTE);
	const other = new PauseBook();
	other.mergePacked(packed, T0 + 2 * MINUTE);
	expect(other.endOf('1', T0 + 2 * MINUTE)).toBeUndefined();
	expect(other.endOf('2', T0 + 2 * MINUTE)).toBe(T0 + 3 * MINUTE);
	expect(other.size).toBe(1);
});

test('a saved copy lacks a pause until it holds one ending as late', () => {
	const book = new PauseBook();
	expect(book.lacksIn(undefined, T0)).toBe(false);
	book.pause('1', T0 + 5 * MINUTE, T0);
	expect(book.lacksIn(undefined, T0)).toBe(true);
	const saved = book.pack(T0);
	expect(book.lacksIn(saved, T0)).toBe(false);
	book.pause('1', T0 + 8 * MINUTE, T0 + 3 * MINUTE);
	expect(book.lacksIn(saved, T0 + 3 * MINUTE)).toBe(true);
});

test('entries no trigger could have saved are dropped: malformed, or ending beyond the longest pause', () => {
	const book = new PauseBook();
	const far = (T0 + MAX_PAUSE_MS + 10 * MINUTE).toString(36);
	const ok = (T0 + MINUTE).toString(36);
	book.mergePacked(`p1:abc:${ok};12:${far};13:${ok};;x;14:zz:1;`, T0);
	expect(book.size).toBe(1);
	expect(book.endOf('13', T0)).toBe(T0 + MINUTE);
	for (const junk of [null, 42, {}, ['p1:1:1'], 'w1:13:abc']) {
		const empty = new PauseBook();
		empty.mergePacked(junk, T0);
		expect(empty.size).toBe(0);
	}
});

test('the book is bounded: beyond it, the pauses that end soonest go first', () => {
	const book = new PauseBook(3);
	for (let n = 1; n <= 5; n++) book.pause(String(n), T0 + n * MINUTE, T0);
	expect(book.size).toBe(3);
	expect(['1', '2', '3', '4', '5'].map((p) => book.endOf(p, T0) !== undefined)).toEqual([
		false,
		false,
		true,
		true,
		true,
	]);
});
