/**
 * The burst holder with an injected clock: a burst closes once its contact has been quiet for the
 * quiet time, never later than BURST_MAX_HOLD_MS after its first delivery, at once when a bound
 * is reached; the newest delivery carries it; contacts never share a burst.
 */
import {
	BURST_MAX_HOLD_MS,
	BurstHolder,
	MAX_BURST_BYTES,
	MAX_BURST_DELIVERIES,
	MAX_OPEN_BURSTS,
	type Joined,
} from '../../../nodes/WhatsAbleWebhooksTrigger/burst/holder';
import { ManualClock } from '../../support/manualClock';

const QUIET = 3_000;

function setUp() {
	const clock = new ManualClock();
	const holder = new BurstHolder<string>(clock);
	const outcomes = new Map<string, Joined<string>>();
	const join = (contact: string, member: string, bytes = 100) => {
		void holder.join(contact, member, bytes, QUIET).then((joined) => outcomes.set(member, joined));
	};
	return { clock, holder, outcomes, join };
}

/** Lets settled promises deliver their outcomes. */
const flush = async () => {
	for (let i = 0; i < 5; i++) await Promise.resolve();
};

test('a lone message closes after the quiet time, carried by itself', async () => {
	const { clock, outcomes, join } = setUp();
	join('1', 'a');
	clock.advance(QUIET - 1);
	await flush();
	expect(outcomes.size).toBe(0);
	clock.advance(1);
	await flush();
	expect(outcomes.get('a')).toEqual({ role: 'carrier', members: ['a'] });
});

test('three messages a second apart: one burst, closed the quiet time after the last, carried by the newest', async () => {
	const { clock, outcomes, join } = setUp();
	join('1', 'a');
	clock.advance(1_000);
	join('1', 'b');
	clock.advance(1_000);
	join('1', 'c');
	clock.advance(QUIET - 1);
	await flush();
	expect(outcomes.size).toBe(0);
	clock.advance(1);
	await flush();
	expect(outcomes.get('c')).toEqual({ role: 'carrier', members: ['a', 'b', 'c'] });
	expect(outcomes.get('a')).toEqual({ role: 'member', carrier: 'c' });
	expect(outcomes.get('b')).toEqual({ role: 'member', carrier: 'c' });
});

test('a contact who keeps typing is cut off BURST_MAX_HOLD_MS after the first message; the next message opens a new burst', async () => {
	const { clock, outcomes, join } = setUp();
	let n = 0;
	while (clock.now() + 2_000 < Date.UTC(2026, 11, 6, 12) + BURST_MAX_HOLD_MS) {
		join('1', `m${n++}`);
		clock.advance(2_000);
	}
	join('1', `m${n++}`);
	clock.advance(BURST_MAX_HOLD_MS - 2_000 * (n - 1));
	await flush();
	const carried = outcomes.get(`m${n - 1}`);
	expect(carried).toEqual({
		role: 'carrier',
		members: Array.from({ length: n }, (_, i) => `m${i}`),
	});
	join('1', 'late');
	clock.advance(QUIET);
	await flush();
	expect(outcomes.get('late')).toEqual({ role: 'carrier', members: ['late'] });
});

test('contacts never share a burst', async () => {
	const { clock, outcomes, join } = setUp();
	join('1', 'a');
	join('2', 'b');
	clock.advance(QUIET);
	await flush();
	expect(outcomes.get('a')).toEqual({ role: 'carrier', members: ['a'] });
	expect(outcomes.get('b')).toEqual({ role: 'carrier', members: ['b'] });
});

test(`a burst of ${MAX_BURST_DELIVERIES} deliveries, or of ${MAX_BURST_BYTES} bytes, runs at once`, async () => {
	const { outcomes, join, clock } = setUp();
	for (let i = 0; i < MAX_BURST_DELIVERIES; i++) join('1', `m${i}`);
	await flush();
	expect(outcomes.get(`m${MAX_BURST_DELIVERIES - 1}`)).toMatchObject({ role: 'carrier' });
	join('2', 'small');
	join('2', 'big', MAX_BURST_BYTES);
	await flush();
	expect(outcomes.get('big')).toEqual({ role: 'carrier', members: ['small', 'big'] });
	expect(clock.pending).toBe(0);
});

test(`with ${MAX_OPEN_BURSTS} bursts open, a new contact is not held; a held contact still joins`, async () => {
	const { holder, outcomes, join } = setUp();
	for (let i = 0; i < MAX_OPEN_BURSTS; i++) join(String(i), `c${i}`);
	expect(holder.openBursts).toBe(MAX_OPEN_BURSTS);
	join('new', 'outsider');
	join('0', 'again');
	await flush();
	expect(outcomes.get('outsider')).toEqual({ role: 'alone' });
	expect(outcomes.has('again')).toBe(false);
});
