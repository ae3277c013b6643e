import type { IDataObject } from 'n8n-workflow';

import { PerScope } from '../perScope';
import { PauseBook } from './book';

/*
 * One pause book per trigger scope per process, shared the way the duplicate window is
 * (dedupe/store.ts): static data is the copy every process reads on each request and merges in;
 * a delivery that starts no execution saves it at once, and the flush carries it otherwise.
 */
const books = new PerScope(() => new PauseBook());

export function pausesFor(scope: string, persisted: IDataObject, now: number): PauseBook {
	const book = books.of(scope);
	book.mergePacked(persisted.paused, now);
	return book;
}

/** Writes the book into static data only when the loaded copy lacks one of its pauses. */
export function persistPauses(data: IDataObject, book: PauseBook, now: number): void {
	if (book.lacksIn(data.paused, now)) data.paused = book.pack(now);
}

/** Forgets every book this process holds, as a restart does. */
export function forgetPauses(): void {
	books.clear();
}
