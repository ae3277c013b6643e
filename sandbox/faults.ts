/** A scripted misbehaviour of the management API. */
export interface Fault {
	/** HTTP method to match (any when absent). */
	method?: string;
	/** A RegExp tested on the path, or a path given in full or without the `/api:qh9OQ3OW` group. */
	path?: RegExp | string;
	/** How many matching calls it affects (default 1). */
	times?: number;
	/** Answer with this status instead of handling the call. */
	status?: number;
	/** Body for `status` (default `{ message: <reason phrase> }`). */
	body?: unknown;
	/** Seconds, sent as Retry-After with `status`. */
	retryAfter?: number;
	/** Answer this much later (then normally, unless `status` is given). */
	delayMs?: number;
	/** Destroy the socket without answering. */
	dropConnection?: boolean;
}

interface ActiveFault {
	fault: Fault;
	remaining: number;
}

/** Faults in the order they were injected; the first match is consumed per call. */
export class FaultQueue {
	private faults: ActiveFault[] = [];

	constructor(private readonly apiPrefix: string) {}

	add(fault: Fault): void {
		const times = fault.times ?? 1;
		if (!(times > 0)) throw new Error('Fault times must be > 0');
		this.faults.push({ fault, remaining: times });
	}

	clear(): void {
		this.faults = [];
	}

	get size(): number {
		return this.faults.length;
	}

	/** Returns and consumes one use of the first fault matching this call. */
	take(method: string, path: string): Fault | undefined {
		const index = this.faults.findIndex((f) => this.matches(f.fault, method, path));
		if (index < 0) return undefined;
		const active = this.faults[index];
		active.remaining -= 1;
		if (active.remaining <= 0) this.faults.splice(index, 1);
		return active.fault;
	}

	private matches(fault: Fault, method: string, path: string): boolean {
		if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
		if (fault.path === undefined) return true;
		if (fault.path instanceof RegExp) {
			// Reset so a /g or /y RegExp does not carry lastIndex between calls.
			fault.path.lastIndex = 0;
			return fault.path.test(path);
		}
		return fault.path === path || this.apiPrefix + fault.path === path;
	}
}
