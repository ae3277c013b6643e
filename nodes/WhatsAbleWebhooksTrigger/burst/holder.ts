import { sleep } from 'n8n-workflow';

/*
 * Bursts held open in this process, per trigger scope and contact. Each delivery of a burst
 * waits here (its HTTP request still open) until the contact has been quiet for the quiet time,
 * or the burst reached a bound; then the newest delivery carries every message into ONE
 * execution and the others answer once n8n has answered it (handler.ts).
 */

/** The longest a burst is held, from its first message: WhatsAble wants an answer within 10 s. */
export const BURST_MAX_HOLD_MS = 7_000;
/** Open bursts per trigger: beyond, a new contact's delivery runs alone at once. */
export const MAX_OPEN_BURSTS = 100;
/** A burst reaching this many deliveries, or this many body bytes, runs at once. */
export const MAX_BURST_DELIVERIES = 20;
export const MAX_BURST_BYTES = 1024 * 1024;

/** Time as the holder reads and waits on it: real by default, injected by tests. */
export interface BurstClock {
	now(): number;
	setTimeout(run: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** A real timer made of n8n's `sleep` (timers are not allowed in community nodes): cancel = skip. */
interface SleepTimer {
	cancelled: boolean;
}

const realClock: BurstClock = {
	now: () => Date.now(),
	setTimeout: (run, ms) => {
		const timer: SleepTimer = { cancelled: false };
		void sleep(ms).then(() => {
			if (!timer.cancelled) run();
		});
		return timer;
	},
	clearTimeout: (handle) => {
		if (handle) (handle as SleepTimer).cancelled = true;
	},
};

/** How a held delivery's wait ended. */
export type Joined<T> =
	/** This delivery carries the burst: `members` in arrival order, this one last. */
	| { role: 'carrier'; members: T[] }
	/** Another delivery carries it. */
	| { role: 'member'; carrier: T }
	/** Not held: the bound on open bursts is reached. */
	| { role: 'alone' };

interface OpenBurst<T> {
	members: Array<{ member: T; settle: (joined: Joined<T>) => void }>;
	firstAt: number;
	bytes: number;
	timer: unknown;
}

export class BurstHolder<T> {
	private readonly open = new Map<string, OpenBurst<T>>();

	constructor(private readonly clock: BurstClock = realClock) {}

	get openBursts(): number {
		return this.open.size;
	}

	/**
	 * Holds `member` in the contact's burst until the contact has been quiet for `quietMs`
	 * (never past BURST_MAX_HOLD_MS from the burst's first delivery, nor past the bounds).
	 */
	async join(contact: string, member: T, bytes: number, quietMs: number): Promise<Joined<T>> {
		const now = this.clock.now();
		let burst = this.open.get(contact);
		if (!burst) {
			if (this.open.size >= MAX_OPEN_BURSTS) return { role: 'alone' };
			burst = { members: [], firstAt: now, bytes: 0, timer: undefined };
			this.open.set(contact, burst);
		}
		const joined = new Promise<Joined<T>>((settle) => burst.members.push({ member, settle }));
		burst.bytes += bytes;
		this.clock.clearTimeout(burst.timer);
		const full = burst.members.length >= MAX_BURST_DELIVERIES || burst.bytes >= MAX_BURST_BYTES;
		const closeAt = Math.min(now + quietMs, burst.firstAt + BURST_MAX_HOLD_MS);
		const open = burst;
		if (full) this.close(contact, open);
		else open.timer = this.clock.setTimeout(() => this.close(contact, open), closeAt - now);
		return await joined;
	}

	private close(contact: string, burst: OpenBurst<T>): void {
		if (this.open.get(contact) === burst) this.open.delete(contact);
		this.clock.clearTimeout(burst.timer);
		const carrier = burst.members[burst.members.length - 1];
		const members = burst.members.map((m) => m.member);
		for (const entry of burst.members) {
			entry.settle(
				entry === carrier
					? { role: 'carrier', members }
					: { role: 'member', carrier: carrier.member },
			);
		}
	}
}
