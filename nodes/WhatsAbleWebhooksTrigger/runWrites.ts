import type { IDataObject } from 'n8n-workflow';

import { processState } from './processState';

/*
 * Whether n8n saves static data that webhook() writes for a delivery that starts an execution
 * depends on how n8n runs (measured in 2.41.1): in regular mode it is dropped, in queue mode the
 * webhook processor saves it. A node cannot read n8n's settings, so it finds out: each accepted
 * delivery marks static data with this process's id, and once a later request here reads its
 * own mark back from the database, such writes are known to be saved and the flush (flush.ts) is
 * no longer needed by this process.
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
