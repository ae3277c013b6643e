import type { BurstClock } from '../../nodes/WhatsAbleWebhooksTrigger/burst/holder';

/** A clock that moves only when the test says: `advance(ms)` runs the timers that fall due. */
export class ManualClock implements BurstClock {
	private timers: Array<{ at: number; run: () => void; handle: number }> = [];
	private nextHandle = 1;
	/** Timers ever set: a burst sets one per delivery that joins it. */
	scheduled = 0;

	constructor(private at = Date.UTC(2026, 11, 6, 12)) {}

	now(): number {
		return this.at;
	}

	setTimeout(run: () => void, ms: number): unknown {
		const handle = this.nextHandle++;
		this.scheduled++;
		this.timers.push({ at: this.at + Math.max(0, ms), run, handle });
		return handle;
	}

	clearTimeout(handle: unknown): void {
		this.timers = this.timers.filter((t) => t.handle !== handle);
	}

	/** Timers still waiting. */
	get pending(): number {
		return this.timers.length;
	}

	advance(ms: number): void {
		const until = this.at + ms;
		for (;;) {
			const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
			if (!due) break;
			this.timers = this.timers.filter((t) => t !== due);
			this.at = due.at;
			due.run();
		}
		this.at = until;
	}
}
