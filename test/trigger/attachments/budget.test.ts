/**
 * What the attachments of one delivery may take together: two downloads at a time, a byte budget
 * with unused reservations given back, and one deadline for all. Time is injected.
 */
import { AttachmentBudget } from '../../../nodes/WhatsAbleWebhooksTrigger/attachments/budget';

/** A job the test finishes by hand, reporting the bytes it ended up holding. */
function controllable() {
	let finish!: (usedBytes: number) => void;
	const done = new Promise<number>((resolve) => (finish = resolve));
	return { finish, done };
}

/** Lets every promise callback that is ready run. */
const flush = async () => {
	for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('AttachmentBudget', () => {
	test('runs at most two downloads at a time; the third starts when one ends', async () => {
		const budget = new AttachmentBudget(100, 1_000, () => 0);
		const jobs = [controllable(), controllable(), controllable()];
		const started: number[] = [];
		const runs = jobs.map((job, i) =>
			budget.run(10, async () => {
				started.push(i);
				return { result: i, usedBytes: await job.done };
			}),
		);
		await flush();
		expect(started).toEqual([0, 1]);
		jobs[0].finish(10);
		await flush();
		expect(started).toEqual([0, 1, 2]);
		jobs[1].finish(10);
		jobs[2].finish(10);
		expect(await Promise.all(runs)).toEqual([0, 1, 2]);
	});

	test('reserves what a download may read, gives back what it did not use, refuses past the budget', async () => {
		const budget = new AttachmentBudget(25, 1_000, () => 0);
		const grants: Array<{ maxBytes: number; limitedByBudget: boolean }> = [];
		const take = (want: number, used: number) =>
			budget.run(want, async (grant) => {
				grants.push({ maxBytes: grant.maxBytes, limitedByBudget: grant.limitedByBudget });
				return { result: 'ok', usedBytes: used };
			});
		expect(await take(10, 4)).toBe('ok'); // 21 left
		expect(await take(10, 10)).toBe('ok'); // 11 left
		expect(await take(20, 0)).toBe('ok'); // granted 11 only; a failed download holds nothing
		expect(await take(10, 11)).toBe('ok'); // 1 left
		expect(await take(10, 1)).toBe('ok'); // 0 left
		expect(await take(10, 0)).toBe('over-budget');
		expect(grants).toEqual([
			{ maxBytes: 10, limitedByBudget: false },
			{ maxBytes: 10, limitedByBudget: false },
			{ maxBytes: 11, limitedByBudget: true },
			{ maxBytes: 10, limitedByBudget: false },
			{ maxBytes: 1, limitedByBudget: true },
		]);
	});

	test('gives each download what is left of the one deadline, and none after it', async () => {
		let now = 0;
		const budget = new AttachmentBudget(100, 8_000, () => now);
		const deadlines: number[] = [];
		const run = () =>
			budget.run(1, async (grant) => {
				deadlines.push(grant.deadlineMs);
				return { result: 'ok', usedBytes: 1 };
			});
		await run();
		now = 5_000;
		await run();
		now = 8_000;
		expect(await run()).toBe('past-deadline');
		expect(deadlines).toEqual([8_000, 3_000]);
	});
});
