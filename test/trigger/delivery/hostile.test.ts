/**
 * Hostile input: a corpus of malformed, oversized, deeply nested, type-confused and
 * prototype-polluting deliveries, each sent through the pure hot path (`judgeDelivery`) AND
 * through the trigger's real `webhook()` behind a real HTTP endpoint. Every one must get a clear
 * 4xx or typed item(s): never a 5xx, never a thrown error, never a changed Object.prototype.
 * The corpus is shared with the reliability e2e test, which sends a subset to real n8n.
 */
import { request } from 'undici';

import { DedupeWindow } from '../../../nodes/WhatsAbleWebhooksTrigger/dedupe/window';
import { forgetProcessWindows } from '../../support/restart';
import { defaultSettings } from '../../../nodes/WhatsAbleWebhooksTrigger/settings';
import {
	HOSTILE_CASES,
	HOSTILE_SECRET,
	HOSTILE_TOP_LEVEL_CASES,
	hostileRequest,
	type HostileCase,
} from '../../support/hostileCorpus';
import {
	judgeDelivery,
	type DeliveryVerdict,
} from '../../../nodes/WhatsAbleWebhooksTrigger/delivery/verdict';
import { conversationItemSchema } from '../../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { TriggerEndpoint } from '../../support/webhookServer';

const PROTO_NAMES = {
	object: Object.getOwnPropertyNames(Object.prototype).sort(),
	array: Object.getOwnPropertyNames(Array.prototype).sort(),
	func: Object.getOwnPropertyNames(Function.prototype).sort(),
};

/** Object.prototype, Array.prototype and Function.prototype are exactly as they were. */
function expectNoPollution(): void {
	const probe = {} as Record<string, unknown>;
	expect(probe.polluted).toBeUndefined();
	expect(probe.isAdmin).toBeUndefined();
	expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES.object);
	expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(PROTO_NAMES.array);
	expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(PROTO_NAMES.func);
}

/** No object inside `value` has a prototype other than Object's, Array's or none (bounded walk). */
function foreignPrototypes(value: unknown): string[] {
	const problems: string[] = [];
	const stack: Array<{ v: unknown; at: string }> = [{ v: value, at: '$' }];
	let visited = 0;
	while (stack.length > 0 && visited < 200_000) {
		const { v, at } = stack.pop() as { v: unknown; at: string };
		visited++;
		if (typeof v !== 'object' || v === null) continue;
		const proto: unknown = Object.getPrototypeOf(v);
		if (proto !== Object.prototype && proto !== Array.prototype && proto !== null)
			problems.push(at);
		if (Object.prototype.hasOwnProperty.call(v, '__proto__'))
			problems.push(`${at}.__proto__ (own key)`);
		for (const key of Object.keys(v))
			stack.push({ v: (v as Record<string, unknown>)[key], at: `${at}.${key}` });
	}
	return problems.slice(0, 5);
}

function checkItems(items: unknown[], c: HostileCase): void {
	const expectation = c.expect;
	expect(items.length).toBeGreaterThan(0);
	if (expectation.kind === 'items' && expectation.count !== undefined)
		expect(items).toHaveLength(expectation.count);
	for (const item of items) {
		const parsed = conversationItemSchema.safeParse(item);
		if (!parsed.success)
			throw new Error(
				`${c.name}: item does not match the schema: ${parsed.error.message.slice(0, 500)}`,
			);
		expect(foreignPrototypes(item)).toEqual([]);
		if (expectation.kind === 'items' && expectation.check)
			expect(expectation.check(parsed.data)).toBeNull();
	}
}

function checkVerdict(verdict: DeliveryVerdict, c: HostileCase): void {
	const expectation = c.expect;
	if (expectation.kind === 'reject') {
		expect({
			kind: verdict.kind,
			status: verdict.kind === 'rejected' ? verdict.status : undefined,
		}).toEqual({
			kind: 'rejected',
			status: expectation.status,
		});
		return;
	}
	if (verdict.kind === 'rejected') {
		// Only a clear client error is acceptable, and only where the case allows one.
		expect(verdict.status).toBeGreaterThanOrEqual(400);
		expect(verdict.status).toBeLessThan(500);
		expect(expectation.kind).toBe('item-or-4xx');
		return;
	}
	expect(verdict.kind).toBe('accepted');
	if (verdict.kind === 'accepted') checkItems(verdict.items, c);
}

afterEach(() => {
	// Clean up after a failure so one polluted case does not fail every later test.
	for (const key of Object.getOwnPropertyNames(Object.prototype)) {
		if (!PROTO_NAMES.object.includes(key))
			delete (Object.prototype as Record<string, unknown>)[key];
	}
});

test('the corpus has at least 30 cases with distinct names', () => {
	expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(30);
	expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
});

describe('hostile input through judgeDelivery (the pure hot path)', () => {
	test.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
		const settings = defaultSettings({ incoming: true, outgoing: true, signatureScheme: 'hmac' });
		const req = hostileRequest(c);
		let verdict: DeliveryVerdict | undefined;
		const started = Date.now();
		expect(() => {
			verdict = judgeDelivery(
				{
					method: req.method,
					contentType: req.headers['content-type'],
					rawBody: req.body,
					signatureHeader: req.signature,
					receivedAt: new Date(),
				},
				{ settings, secret: HOSTILE_SECRET, seen: new DedupeWindow() },
			);
		}).not.toThrow();
		expect(Date.now() - started).toBeLessThan(5_000);
		checkVerdict(verdict as DeliveryVerdict, c);
		// n8n stores and sends items as JSON: they must survive JSON.stringify.
		if (verdict?.kind === 'accepted')
			expect(() =>
				JSON.stringify(verdict?.kind === 'accepted' ? verdict.items : null),
			).not.toThrow();
		expectNoPollution();
	});
});

/** A trigger behind a real HTTP endpoint, verifying with the corpus's secret. */
async function hostileEndpoint(parameters: Record<string, unknown> = {}): Promise<TriggerEndpoint> {
	forgetProcessWindows();
	return await TriggerEndpoint.start({
		// The credential's secret is the one used for endpoints made by hand: no registration needed.
		credentials: {
			apiToken: 'not-used',
			baseUrl: 'http://127.0.0.1:9',
			signatureSecret: HOSTILE_SECRET,
		},
		parameters: {
			events: ['incoming', 'outgoing'],
			ignoreAutomatedOutgoing: false,
			verifySignatures: true,
			options: { signatureScheme: 'hmac' },
			...parameters,
		},
		staticData: {},
	});
}

/** Sends one corpus case, signed as the case says, with a fresh duplicate window. */
async function send(endpoint: TriggerEndpoint, c: HostileCase) {
	forgetProcessWindows();
	const req = hostileRequest(c);
	const headers: Record<string, string | string[]> = { ...req.headers };
	if (req.signature !== undefined) headers['x-webhook-signature'] = req.signature;
	const res = await request(endpoint.url, {
		method: req.method as 'POST',
		headers,
		body: req.method === 'GET' ? undefined : req.body,
		headersTimeout: 20_000,
		bodyTimeout: 20_000,
	});
	return { res, text: await res.body.text() };
}

describe("hostile input through the trigger's webhook() over real HTTP", () => {
	let endpoint: TriggerEndpoint;

	beforeAll(async () => {
		endpoint = await hostileEndpoint();
	});
	afterAll(async () => {
		await endpoint?.stop();
	});

	test.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const before = endpoint.executions.length;
		const { res, text } = await send(endpoint, c);
		expect({ status: res.statusCode, text: res.statusCode >= 500 ? text : '' }).toEqual({
			status: expect.any(Number) as number,
			text: '',
		});
		expect(res.statusCode).toBeLessThan(500);
		const expectation = c.expect;
		const started = endpoint.executions.slice(before);
		if (expectation.kind === 'reject') {
			expect(res.statusCode).toBe(expectation.status);
			expect(started).toHaveLength(0);
			const body = JSON.parse(text) as { status?: unknown; reason?: unknown };
			expect(body.status).toBe('rejected');
			expect(typeof body.reason).toBe('string');
		} else if (res.statusCode >= 400) {
			expect(expectation.kind).toBe('item-or-4xx');
			expect(started).toHaveLength(0);
		} else {
			expect(res.statusCode).toBe(200);
			expect(started).toHaveLength(1);
			checkItems(
				started[0].items.map((i) => i.json),
				c,
			);
			expect(() => JSON.stringify(started[0].items)).not.toThrow();
		}
		expectNoPollution();
	});
});

describe('bodies that are not a JSON object, in Raw Body mode over real HTTP', () => {
	let endpoint: TriggerEndpoint;

	beforeAll(async () => {
		endpoint = await hostileEndpoint({ output: 'raw' });
	});
	afterAll(async () => {
		await endpoint?.stop();
	});

	test.each(HOSTILE_TOP_LEVEL_CASES.map((c) => [c.name, c] as const))(
		'%s: every item is an object',
		async (_name, c) => {
			const before = endpoint.executions.length;
			const { res } = await send(endpoint, c);
			expect(res.statusCode).toBeLessThan(500);
			const started = endpoint.executions.slice(before);
			if (res.statusCode >= 400) expect(c.expect.kind).toBe('item-or-4xx');
			for (const { json } of started.flatMap((e) => e.items)) {
				expect(Object.prototype.toString.call(json)).toBe('[object Object]');
			}
		},
	);
});
