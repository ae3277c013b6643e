import type { IWebhookFunctions } from 'n8n-workflow';

import type { BurstPart } from './combine';
import { BurstHolder, type BurstClock } from './holder';

/** A delivery held in a burst: what the carrier combines, and what the holder answers with. */
export interface HeldDelivery {
	ctx: IWebhookFunctions;
	part: BurstPart;
	keys: string[];
}

/** This process's open bursts by trigger scope (memory only: a held delivery is an open request). */
const holders = new Map<string, BurstHolder<HeldDelivery>>();
let clock: BurstClock | undefined;

export function burstsFor(scope: string): BurstHolder<HeldDelivery> {
	let holder = holders.get(scope);
	if (!holder) {
		holder = new BurstHolder<HeldDelivery>(clock);
		holders.set(scope, holder);
	}
	return holder;
}

/** Forgets every open burst, as a restart does. */
export function forgetBursts(): void {
	holders.clear();
}

/** Makes bursts opened from now on run on `withClock` (tests); undefined: the real clock. */
export function useBurstClock(withClock: BurstClock | undefined): void {
	holders.clear();
	clock = withClock;
}
