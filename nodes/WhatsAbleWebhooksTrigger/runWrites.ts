import type { IDataObject } from 'n8n-workflow';

import { processState } from './processState';

/*
 * n8n 2.41.1 drops static data that webhook() writes for a delivery that starts an execution, in
 * regular and in queue mode alike (measured), hence the flush (flush.ts). n8n's own source reads
 * as if a webhook processor would save it, and another version may; a node cannot read n8n's
 * settings, so it finds out: each accepted delivery marks static data with this process's id, and
 * once a later request here reads its own mark back from the database, such writes are known to
 * be saved: the window is then saved with each run and this process sends no more flushes.
 */
const MARK_KEY = 'ranBy';

export function markRunWrite(data: IDataObject): void {
	data[MARK_KEY] = processState.id;
}

/** True once static data has shown this process's own mark (see above). */
export function runWritesSaved(data: IDataObject): boolean {
	if (!processState.runWritesSaved && data[MARK_KEY] === processState.id) {
		processState.runWritesSaved = true;
	}
	return processState.runWritesSaved;
}
