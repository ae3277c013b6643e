import {
	ACCESS_DENIED_MESSAGE,
	SANDBOX_USER_ID,
	WhatsAbleSandbox,
	type AccountInfo,
} from '../../sandbox';
import {
	FULL,
	asArray,
	asRecord,
	call,
	sessionOf,
	useSandbox,
	type ApiReply,
	type CallOptions,
} from '../support/sandboxClient';

const harness = useSandbox();

/** Another Admin account of the sandbox, logged in. */
async function otherAdmin(sb: WhatsAbleSandbox): Promise<AccountInfo & { token: string }> {
	const account = sb.addAccount({ email: 'other@sandbox.test', password: 'other-pw' });
	return { ...account, token: await sessionOf(sb, account.email, account.password) };
}

function create(sb: WhatsAbleSandbox, webhooks: string, opts: CallOptions = {}): Promise<ApiReply> {
	return call(sb, 'POST', '/webhook/dev/create', { ...opts, body: { ...FULL, webhooks } });
}

function patch(
	sb: WhatsAbleSandbox,
	id: number,
	webhooks: string,
	opts: CallOptions = {},
): Promise<ApiReply> {
	return call(sb, 'PATCH', `/webhook/dev/${id}`, { ...opts, body: { ...FULL, webhooks } });
}

async function listedIds(sb: WhatsAbleSandbox, token: string): Promise<number[]> {
	const res = await call(sb, 'GET', '/webhook/dev', { token });
	return asArray(res.json).map((r) => asRecord(r).id);
}

describe('ownership', () => {
	test("ids are one sequence across accounts; list and create are the caller account's own", async () => {
		const sb = harness.sandbox;
		const other = await otherAdmin(sb);
		const mine = asRecord((await create(sb, 'https://e.test/a')).json);
		const theirs = asRecord((await create(sb, 'https://e.test/b', { token: other.token })).json);
		const seeded = sb.addRecord({ webhooks: 'https://e.test/c' });
		expect([mine.id, theirs.id, seeded.id]).toEqual([1, 2, 3]);
		expect([mine.user_id, theirs.user_id, seeded.user_id]).toEqual([
			SANDBOX_USER_ID,
			other.userId,
			SANDBOX_USER_ID,
		]);
		expect(await listedIds(sb, sb.token)).toEqual([1, 3]);
		expect(await listedIds(sb, other.token)).toEqual([2]);
		expect(sb.recordsOf(other.userId).map((r) => r.id)).toEqual([2]);
		expect(sb.records().map((r) => r.id)).toEqual([1, 2, 3]);
		expect(sb.addRecord({ webhooks: 'https://e.test/d', userId: other.userId }).user_id).toBe(
			other.userId,
		);
	});

	test('one URL may be registered by two accounts, but only once by each', async () => {
		const sb = harness.sandbox;
		const other = await otherAdmin(sb);
		expect((await create(sb, 'https://e.test/same')).status).toBe(200);
		expect((await create(sb, 'https://e.test/same', { token: other.token })).status).toBe(200);
		const dup = await create(sb, 'https://e.test/same', { token: other.token });
		expect([dup.status, dup.json]).toEqual([400, { message: 'Same webhook exist' }]);
		await create(sb, 'https://e.test/mine2');
		// PATCH onto a URL the account holds is a duplicate; onto one only the other holds, it is not.
		expect((await patch(sb, 3, 'https://e.test/same')).status).toBe(400);
		expect(sb.addRecord({ webhooks: 'https://e.test/theirs', userId: other.userId }).id).toBe(4);
		expect((await patch(sb, 3, 'https://e.test/theirs')).status).toBe(200);
		expect(() => sb.addRecord({ webhooks: 'https://e.test/same', userId: other.userId })).toThrow(
			'Same webhook exist',
		);
	});

	test('a Member is refused list and create with 403, after the origin check', async () => {
		const sb = harness.sandbox;
		const member = sb.addAccount({ email: 'm@sandbox.test', password: 'pm', role: 'Member' });
		const token = sb.login(member.email, member.password);
		const denied = { message: ACCESS_DENIED_MESSAGE };
		const list = await call(sb, 'GET', '/webhook/dev', { token });
		expect([list.status, list.json]).toEqual([403, denied]);
		const made = await create(sb, 'https://e.test/m', { token });
		expect([made.status, made.json]).toEqual([403, denied]);
		const noOrigin = await call(sb, 'GET', '/webhook/dev', { token, origin: null });
		expect([noOrigin.status, noOrigin.json]).toEqual([403, { message: 'Origin check failed' }]);
		// The origin is checked before the token, too.
		expect((await call(sb, 'GET', '/webhook/dev', { token: 'nope', origin: null })).status).toBe(
			403,
		);
		expect(sb.records()).toEqual([]);
	});

	test("by default PATCH and DELETE check only the origin: anyone can change any account's webhook", async () => {
		const sb = harness.sandbox;
		const other = await otherAdmin(sb);
		const theirs = sb.addRecord({ webhooks: 'https://e.test/theirs', userId: other.userId });
		const patched = await patch(sb, theirs.id, 'https://attacker.test/hook', { token: null });
		expect(patched.status).toBe(200);
		expect(sb.recordsOf(other.userId)[0].webhooks).toBe('https://attacker.test/hook');

		const refused = await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`, {
			token: null,
			origin: 'https://evil.test',
		});
		expect(refused.status).toBe(403);
		const deleted = await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`, { token: 'anything' });
		expect([deleted.status, deleted.text]).toEqual([200, '']);
		expect(sb.records()).toEqual([]);
	});

	test("ownerChecks: PATCH and DELETE need an Admin session and see another account's id as unknown", async () => {
		const sb = await WhatsAbleSandbox.start({ quiet: true, ownerChecks: true });
		try {
			const other = await otherAdmin(sb);
			const member = sb.addAccount({ email: 'm@sandbox.test', password: 'pm', role: 'Member' });
			const memberToken = sb.login(member.email, member.password);
			const theirs = sb.addRecord({ webhooks: 'https://e.test/theirs', userId: other.userId });
			const refusals = [
				await patch(sb, theirs.id, 'https://attacker.test/hook', { token: null }),
				await patch(sb, theirs.id, 'https://attacker.test/hook', { token: memberToken }),
				await patch(sb, theirs.id, 'https://attacker.test/hook'),
				await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`, { token: null }),
				await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`),
			];
			expect(refusals.map((r) => r.status)).toEqual([401, 403, 404, 401, 404]);
			expect(refusals[2].json).toEqual({ message: 'Not found' });
			expect(sb.records()).toEqual([theirs]);

			const own = await patch(sb, theirs.id, 'https://e.test/renamed', { token: other.token });
			expect(own.status).toBe(200);
			const gone = await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`, { token: other.token });
			expect(gone.status).toBe(200);
			expect(sb.records()).toEqual([]);
		} finally {
			await sb.stop();
		}
	});

	test('setOwnerChecks switches the checks while the sandbox runs', async () => {
		const sb = harness.sandbox;
		const theirs = sb.addRecord({ webhooks: 'https://e.test/theirs', userId: 'someone-else' });
		sb.setOwnerChecks(true);
		expect((await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`)).status).toBe(404);
		sb.setOwnerChecks(false);
		expect((await call(sb, 'DELETE', `/webhook/dev/${theirs.id}`)).status).toBe(200);
	});
});
