/*
 * What the attachments of ONE delivery may take together. Max Attachment Size bounds each file,
 * but a delivery (a Meta envelope) can carry many links: 16 links of 24 MB held 336 MB at once.
 * So a delivery downloads at most PARALLEL_ATTACHMENTS at a time, holds at most
 * DELIVERY_ATTACHMENT_FACTOR times Max Attachment Size in all, and finishes all of them within
 * one deadline (WhatsAble retries a delivery not answered within 10 seconds).
 */
export const PARALLEL_ATTACHMENTS = 2;
export const DELIVERY_ATTACHMENT_FACTOR = 2;

export type BudgetRefusal = 'over-budget' | 'past-deadline';

export interface BudgetGrant {
	/** Bytes this download may read. */
	maxBytes: number;
	/** Whether that is less than it asked for (what is left of the delivery's budget). */
	limitedByBudget: boolean;
	/** Milliseconds left before the delivery's deadline. */
	deadlineMs: number;
}

export class AttachmentBudget {
	private remaining: number;
	private running = 0;
	private readonly queue: Array<() => void> = [];

	constructor(
		readonly totalBytes: number,
		private readonly deadlineAt: number,
		private readonly now: () => number = Date.now,
		private readonly parallel = PARALLEL_ATTACHMENTS,
	) {
		this.remaining = totalBytes;
	}

	/**
	 * Runs `job` when a slot is free, with the bytes left for it reserved; `job` returns its
	 * result and the bytes it actually holds, and the rest of the reservation is given back.
	 */
	async run<T>(
		wantBytes: number,
		job: (grant: BudgetGrant) => Promise<{ result: T; usedBytes: number }>,
	): Promise<T | BudgetRefusal> {
		await this.slot();
		try {
			const deadlineMs = this.deadlineAt - this.now();
			if (deadlineMs <= 0) return 'past-deadline';
			const maxBytes = Math.min(wantBytes, this.remaining);
			if (maxBytes <= 0) return 'over-budget';
			this.remaining -= maxBytes;
			let used = 0;
			try {
				const { result, usedBytes } = await job({
					maxBytes,
					limitedByBudget: maxBytes < wantBytes,
					deadlineMs,
				});
				used = Math.min(maxBytes, Math.max(0, usedBytes));
				return result;
			} finally {
				this.remaining += maxBytes - used;
			}
		} finally {
			this.release();
		}
	}

	private async slot(): Promise<void> {
		if (this.running < this.parallel) {
			this.running++;
			return;
		}
		// The finishing job hands its slot over: `running` stays as it is.
		await new Promise<void>((resolve) => this.queue.push(resolve));
	}

	private release(): void {
		const next = this.queue.shift();
		if (next) next();
		else this.running--;
	}
}
