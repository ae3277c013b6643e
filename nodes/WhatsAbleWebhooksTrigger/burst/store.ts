import type { IWebhookFunctions } from 'n8n-workflow';

import { PerScope } from '../perScope';
import type { BurstPart } from './combine';
import { BurstHolder, type BurstClock } from './holder';

/** A delivery held in a burst: what the carrier combines, and what the holder answers with. */
export interface HeldDelivery {
	ctx: IWebhookFunctions;
	part: BurstPart;
	keys: string[];
}

/** This process's open bursts by trigger scope (memory only: a held delivery is an open request). */
let clock: BurstClock | undefined;
const holders = new PerScope(() => new BurstHolder<HeldDelivery>(clock));

export function burstsFor(scope: string): BurstHolder<HeldDelivery> {
	return holders.of(scope);
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
