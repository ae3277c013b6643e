/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { request } from 'undici';

import {
	API_PREFIX,
	DEFAULT_ORIGIN,
	SANDBOX_USER_ID,
	WhatsAbleSandbox,
	buildFlatPayload,
	type WebhookRecord,
} from '../../sandbox';

const ROOT = path.resolve(__dirname, '../..');
import { readFixture } from '../fixtures';
const SECRET_RE = /^[A-Za-z0-9_-]{171}$/;

// --- helpers -----------------------------------------------------------------------------------

interface ApiReply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: unknown;
}

interface CallOptions {
	body?: unknown;
	raw?: string;
	token?: string | null;
	origin?: string | null;
}

async function call(
	sb: WhatsAbleSandbox,
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
	route: string,
	opts: CallOptions = {},
): Promise<ApiReply> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const token = opts.token === undefined ? sb.token : opts.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	const origin = opts.origin === undefined ? DEFAULT_ORIGIN : opts.origin;
	if (origin !== null) headers.origin = origin;
	const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
	const url = route.startsWith('/__sandbox') ? sb.baseUrl + route : sb.baseUrl + API_PREFIX + route;
	const res = await request(url, { method, headers, body });
	const text = await res.body.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

function asRecord(value: unknown): WebhookRecord {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error('expected a record object');
	}
	return value as WebhookRecord;
}

function asArray(value: unknown): unknown[] {
	if (!Array.isArray(value)) throw new Error('expected an array');
	return value;
}

const FULL = {
	status: true,
	incoming: true,
	outgoing: false,
	schedule_activity: false,
	waiting_duration: 0,
	active_signature: false,
};

interface Received {
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	at: number;
}

interface Step {
	status?: number;
	delayMs?: number;
	body?: string;
}

interface Receiver {
	url: string;
	received: Received[];
	close(): Promise<void>;
}

/** A tiny webhook endpoint that answers each request per `plan` (then 200 'ok'). */
async function startReceiver(plan: Step[] = []): Promise<Receiver> {
	const received: Received[] = [];
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const step = plan[received.length] ?? {};
			received.push({ headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (res.destroyed) return;
				res.writeHead(step.status ?? 200, { 'content-type': 'text/plain' });
				res.end(step.body ?? 'ok');
			}, step.delayMs ?? 0);
			timers.add(timer);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: async () => {
			for (const t of timers) clearTimeout(t);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

function hmacHex(secret: string, body: Buffer | string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

function parseJson(body: Buffer): Record<string, unknown> {
	const parsed: unknown = JSON.parse(body.toString('utf8'));
	if (typeof parsed !== 'object' || parsed === null) throw new Error('expected an object');
	return parsed as Record<string, unknown>;
}

let sb: WhatsAbleSandbox;
const receivers: Receiver[] = [];
async function receiver(plan?: Step[]): Promise<Receiver> {
	const r = await startReceiver(plan);
	receivers.push(r);
	return r;
}

beforeEach(async () => {
	sb = await WhatsAbleSandbox.start({ quiet: true, delivery: { baseDelayMs: 10 } });
});

afterEach(async () => {
	await sb.stop();
	await Promise.all(receivers.splice(0).map((r) => r.close()));
});

// --- management API ----------------------------------------------------------------------------

describe('management API', () => {
	test('create returns the documented record; ids increase; list is a bare array', async () => {
		const before = Date.now();
		const a = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/a', outgoing: undefined },
		});
		const after = Date.now();
		expect(a.status).toBe(200);
		const rec = asRecord(a.json);
		expect(Object.keys(rec)).toEqual([
			'id',
			'created_at',
			'webhooks',
			'status',
			'incoming',
			'outgoing',
			'schedule_activity',
			'waiting_duration',
			'signature_secret',
			'active_signature',
			'user_id',
		]);
		expect(rec).toMatchObject({
			id: 1,
			webhooks: 'https://example.test/a',
			status: true,
			incoming: true,
			outgoing: false,
			schedule_activity: false,
			waiting_duration: 0,
			signature_secret: null,
			active_signature: false,
			user_id: SANDBOX_USER_ID,
		});
		expect(rec.created_at).toBeGreaterThanOrEqual(before);
		expect(rec.created_at).toBeLessThanOrEqual(after);

		const b = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/b', outgoing: true, waiting_duration: 3600 },
		});
		expect(asRecord(b.json)).toMatchObject({ id: 2, outgoing: true, waiting_duration: 3600 });

		const list = await call(sb, 'GET', '/webhook/dev');
		expect(list.status).toBe(200);
		expect(asArray(list.json).map((r) => asRecord(r).webhooks)).toEqual([
			'https://example.test/a',
			'https://example.test/b',
		]);
		expect(list.json).toEqual(sb.records());
	});

	test('signature secret is shown once at creation, 171 chars base64url, then null', async () => {
		const created = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/signed', active_signature: true },
		});
		const rec = asRecord(created.json);
		const secret = rec.signature_secret;
		expect(typeof secret).toBe('string');
		// Boolean assertions so a failure never prints the secret.
		expect(SECRET_RE.test(secret ?? '')).toBe(true);
		expect(Buffer.from(secret ?? '', 'base64url').length).toBe(128);
		expect(sb.secretOf(rec.id) === secret).toBe(true);

		const list = asArray((await call(sb, 'GET', '/webhook/dev')).json);
		expect(asRecord(list[0]).signature_secret).toBeNull();
		expect(asRecord(list[0]).active_signature).toBe(true);
		expect(sb.records()[0].signature_secret).toBeNull();

		const other = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://example.test/signed2', active_signature: true },
		});
		expect(asRecord(other.json).signature_secret === secret).toBe(false);
	});

	test('PATCH replaces the whole record and only reveals a newly generated secret', async () => {
		const { id } = asRecord(
			(
				await call(sb, 'POST', '/webhook/dev/create', {
					body: { ...FULL, webhooks: 'https://e.test/p' },
				})
			).json,
		);
		const patched = await call(sb, 'PATCH', `/webhook/dev/${id}`, {
			body: {
				...FULL,
				id,
				webhooks: 'https://e.test/p2',
				outgoing: true,
				schedule_activity: true,
				waiting_duration: 1800,
				active_signature: true,
			},
		});
		expect(patched.status).toBe(200);
		const rec = asRecord(patched.json);
		expect(rec).toMatchObject({
			id,
			webhooks: 'https://e.test/p2',
			outgoing: true,
			schedule_activity: true,
			waiting_duration: 1800,
			active_signature: true,
		});
		expect(SECRET_RE.test(rec.signature_secret ?? '')).toBe(true);
		expect(sb.secretOf(id) === rec.signature_secret).toBe(true);

		const again = await call(sb, 'PATCH', `/webhook/dev/${id}`, {
			body: { ...FULL, webhooks: 'https://e.test/p2', active_signature: true },
		});
		expect(again.status).toBe(200);
		expect(asRecord(again.json).signature_secret).toBeNull();
		expect(asRecord(again.json).outgoing).toBe(false);
		expect(sb.secretOf(id) === rec.signature_secret).toBe(true);
	});

	test('partial or mistyped PATCH is rejected with 400 and leaves the record alone', async () => {
		const { id } = asRecord(
			(
				await call(sb, 'POST', '/webhook/dev/create', {
					body: { ...FULL, webhooks: 'https://e.test/x' },
				})
			).json,
		);
		const whole: Record<string, unknown> = { ...FULL, webhooks: 'https://e.test/y' };
		const fields = [
			'webhooks',
			'status',
			'incoming',
			'outgoing',
			'schedule_activity',
			'waiting_duration',
			'active_signature',
		];
		for (const field of fields) {
			const body = { ...whole };
			delete body[field];
			const res = await call(sb, 'PATCH', `/webhook/dev/${id}`, { body });
			expect([field, res.status]).toEqual([field, 400]);
			expect(String((res.json as { message?: unknown }).message)).toContain(field);
		}
		const wrong: Array<[string, unknown]> = [
			['status', 'true'],
			['incoming', 1],
			['waiting_duration', 1.5],
			['waiting_duration', '30'],
			['webhooks', 42],
			['active_signature', null],
		];
		for (const [field, value] of wrong) {
			const res = await call(sb, 'PATCH', `/webhook/dev/${id}`, {
				body: { ...whole, [field]: value },
			});
			expect([field, res.status]).toEqual([field, 400]);
		}
		expect(sb.records()[0].webhooks).toBe('https://e.test/x');
		// Create requires the same fields, except outgoing.
		const missing = await call(sb, 'POST', '/webhook/dev/create', {
			body: { webhooks: 'https://e.test/z', status: true },
		});
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ message: 'Missing param: incoming' });
	});

	test('URLs are unique per account on create and on PATCH', async () => {
		await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/2' },
		});
		const dup = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		expect(dup.status).toBe(400);
		expect(dup.text).toBe('{"message":"Same webhook exist"}');
		const dupPatch = await call(sb, 'PATCH', '/webhook/dev/2', {
			body: { ...FULL, webhooks: 'https://e.test/1' },
		});
		expect(dupPatch.status).toBe(400);
		expect(dupPatch.json).toEqual({ message: 'Same webhook exist' });
		const self = await call(sb, 'PATCH', '/webhook/dev/1', {
			body: { ...FULL, webhooks: 'https://e.test/1', status: false },
		});
		expect(self.status).toBe(200);
		expect(sb.records().map((r) => [r.id, r.webhooks, r.status])).toEqual([
			[1, 'https://e.test/1', false],
			[2, 'https://e.test/2', true],
		]);
	});

	test('DELETE answers 200 with an empty body; unknown ids are 404', async () => {
		await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: 'https://e.test/d' },
		});
		const del = await call(sb, 'DELETE', '/webhook/dev/1');
		expect(del.status).toBe(200);
		expect(del.text).toBe('');
		expect(sb.records()).toEqual([]);
		for (const [method, route] of [
			['DELETE', '/webhook/dev/1'],
			['PATCH', '/webhook/dev/99'],
			['DELETE', '/webhook/dev/abc'],
		] as const) {
			const res = await call(sb, method, route, {
				body: { ...FULL, webhooks: 'https://e.test/n' },
			});
			expect([method, route, res.status, res.json]).toEqual([
				method,
				route,
				404,
				{ message: 'Not found' },
			]);
		}
	});

	test('bearer token: missing, wrong or non-bearer is 401 with a message', async () => {
		for (const token of [null, 'wrong-token']) {
			const res = await call(sb, 'GET', '/webhook/dev', { token });
			expect(res.status).toBe(401);
			expect(typeof (res.json as { message?: unknown }).message).toBe('string');
		}
		const res = await request(`${sb.baseUrl}${API_PREFIX}/webhook/dev`, {
			headers: { authorization: `Token ${sb.token}`, origin: DEFAULT_ORIGIN },
		});
		await res.body.text();
		expect(res.statusCode).toBe(401);
		expect(sb.records()).toEqual([]);
	});

	test('origin check: missing or different origin is 403; requireOrigin null disables it', async () => {
		expect((await call(sb, 'GET', '/webhook/dev', { origin: null })).status).toBe(403);
		const other = await call(sb, 'POST', '/webhook/dev/create', {
			origin: 'https://evil.test',
			body: { ...FULL, webhooks: 'https://e.test/o' },
		});
		expect(other.status).toBe(403);
		expect(sb.records()).toEqual([]);
		expect(sb.origin).toBe('https://console.notifyer-systems.com');

		const open = await WhatsAbleSandbox.start({ quiet: true, requireOrigin: null });
		try {
			expect(open.origin).toBeNull();
			const res = await call(open, 'GET', '/webhook/dev', { origin: null });
			expect(res.status).toBe(200);
			expect(res.json).toEqual([]);
		} finally {
			await open.stop();
		}
		const custom = await WhatsAbleSandbox.start({ quiet: true, requireOrigin: 'https://x.test' });
		try {
			expect((await call(custom, 'GET', '/webhook/dev')).status).toBe(403);
			expect((await call(custom, 'GET', '/webhook/dev', { origin: 'https://x.test' })).status).toBe(
				200,
			);
		} finally {
			await custom.stop();
		}
	});

	test('invalid JSON is 400, unknown routes are 404, and calls are recorded redacted', async () => {
		const bad = await call(sb, 'POST', '/webhook/dev/create', { raw: '{"webhooks": ' });
		expect(bad.status).toBe(400);
		expect(typeof (bad.json as { message?: unknown }).message).toBe('string');
		expect((await call(sb, 'GET', '/webhook/other')).status).toBe(404);
		expect((await call(sb, 'GET', '/webhook/dev/create')).status).toBe(404);
		expect((await call(sb, 'PUT', '/webhook/dev/1', { body: {} })).status).toBe(404);
		const notApi = await request(`${sb.baseUrl}/nothing`);
		await notApi.body.text();
		expect(notApi.statusCode).toBe(404);

		expect(sb.calls.map((c) => [c.method, c.path, c.status])).toEqual([
			['POST', `${API_PREFIX}/webhook/dev/create`, 400],
			['GET', `${API_PREFIX}/webhook/other`, 404],
			['GET', `${API_PREFIX}/webhook/dev/create`, 404],
			['PUT', `${API_PREFIX}/webhook/dev/1`, 404],
			['GET', '/nothing', 404],
		]);
		expect(sb.calls[0].body).toBe('{"webhooks": ');
		expect(sb.calls[0].headers.authorization).toBe('[REDACTED]');
		expect(sb.calls[0].headers.origin).toBe(DEFAULT_ORIGIN);
		expect(sb.calls[3].body).toEqual({});
		expect(typeof sb.calls[0].at).toBe('number');
		expect(JSON.stringify(sb.calls).includes(sb.token)).toBe(false);
		sb.clearCalls();
		expect(sb.calls).toHaveLength(0);
	});
});

// --- seeding and faults ------------------------------------------------------------------------

describe('seeding and faults', () => {
	test('addRecord seeds like the dashboard; deleteOutOfBand removes behind the client', async () => {
		const seeded = sb.addRecord({ webhooks: 'https://e.test/seed', active_signature: true });
		expect(seeded).toMatchObject({
			id: 1,
			status: true,
			incoming: true,
			outgoing: false,
			active_signature: true,
		});
		expect(SECRET_RE.test(seeded.signature_secret ?? '')).toBe(true);
		const fixed = sb.addRecord({
			webhooks: 'https://e.test/seed2',
			active_signature: true,
			signature_secret: 'k',
		});
		expect(sb.secretOf(fixed.id)).toBe('k');
		expect(() => sb.addRecord({ webhooks: 'https://e.test/seed' })).toThrow('Same webhook exist');
		const legacy = sb.addRecord({
			webhooks: 'https://e.test/old',
			extra: { is_incoming_outgoing_enable: true },
		});
		expect((legacy as unknown as Record<string, unknown>).is_incoming_outgoing_enable).toBe(true);

		sb.deleteOutOfBand(1);
		const list = asArray((await call(sb, 'GET', '/webhook/dev')).json);
		expect(list.map((r) => asRecord(r).id)).toEqual([2, 3]);
		const patch = await call(sb, 'PATCH', '/webhook/dev/1', {
			body: { ...FULL, webhooks: 'https://e.test/seed' },
		});
		expect(patch.status).toBe(404);
		expect(() => sb.deleteOutOfBand(1)).toThrow();
		// No management call was made by seeding or deleting out of band.
		expect(sb.calls.map((c) => c.method)).toEqual(['GET', 'PATCH']);
	});

	test('a status burst answers `times` calls, then the API behaves again', async () => {
		sb.injectFault({ method: 'GET', path: '/webhook/dev', status: 503, times: 2 });
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await call(sb, 'GET', '/webhook/dev')).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect(sb.calls.map((c) => c.status)).toEqual([503, 503, 200]);
	});

	test('Retry-After, custom bodies, RegExp paths and injection order', async () => {
		sb.injectFault({
			path: /\/webhook\/dev\/\d+$/,
			method: 'patch',
			status: 500,
			body: { message: 'boom' },
		});
		sb.injectFault({ status: 429, retryAfter: 7 });
		// The first fault only matches PATCH, so this GET takes the second one.
		const limited = await call(sb, 'GET', '/webhook/dev');
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('7');
		expect(limited.json).toEqual({ message: 'Too Many Requests' });
		const patched = await call(sb, 'PATCH', '/webhook/dev/5', { body: {} });
		expect([patched.status, patched.json]).toEqual([500, { message: 'boom' }]);
		expect((await call(sb, 'PATCH', '/webhook/dev/5', { body: {} })).status).toBe(404);

		sb.injectFault({ status: 502, times: 5 });
		sb.clearFaults();
		expect((await call(sb, 'GET', '/webhook/dev')).status).toBe(200);
	});

	test('slow answers and dropped connections', async () => {
		sb.injectFault({ path: `${API_PREFIX}/webhook/dev`, delayMs: 250 });
		let started = Date.now();
		const slow = await call(sb, 'GET', '/webhook/dev');
		expect(slow.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);

		sb.injectFault({ delayMs: 150, status: 504 });
		started = Date.now();
		expect((await call(sb, 'GET', '/webhook/dev')).status).toBe(504);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		sb.injectFault({ dropConnection: true });
		await expect(call(sb, 'GET', '/webhook/dev')).rejects.toThrow();
		expect(sb.calls[sb.calls.length - 1].status).toBe(0);
		started = Date.now();
		expect((await call(sb, 'GET', '/webhook/dev')).status).toBe(200);
		expect(Date.now() - started).toBeLessThan(200);
	});
});

// --- payloads ----------------------------------------------------------------------------------

describe('buildFlatPayload', () => {
	const now = new Date('2025-06-09T22:08:11.000Z');

	test('incoming text in the current flat shape', () => {
		const p = buildFlatPayload({ text: 'hi', labels: ['sales', 'vip'], now });
		expect(Object.keys(p)).toEqual([
			'last_messages',
			'conversation_paragraph',
			'phone_number',
			'recipient_name',
			'user_id',
			'last_message_of_user',
			'last_message_of_bot',
			'message_type',
			'user_last_message_time',
			'bot_last_message_time',
			'attachment_url',
			'note',
			'note_automation',
			'labels',
			'incoming_message',
			'send_by',
			'was_message_by_human',
		]);
		expect(p.last_messages).toEqual([
			{ type: 'user', content: 'hi', timestamp: '2025-06-09T22:08:11.000Z', content_type: 'text' },
			{
				type: 'bot',
				content: 'Earlier reply 1 from the business',
				timestamp: '2025-06-09T22:06:41.000Z',
				content_type: 'text',
			},
		]);
		expect(p).toMatchObject({
			conversation_paragraph:
				'User (10:08:11 PM): hi ; Bot (10:06:41 PM): Earlier reply 1 from the business',
			phone_number: '14155552671',
			user_id: SANDBOX_USER_ID,
			last_message_of_user: 'hi',
			last_message_of_bot: 'Earlier reply 1 from the business',
			message_type: 'text',
			user_last_message_time: 1749506891,
			bot_last_message_time: 1749506801,
			attachment_url: null,
			note: '',
			labels: 'sales, vip',
			incoming_message: true,
			send_by: '',
			was_message_by_human: true,
		});
	});

	test('outgoing, media, history length and referral', () => {
		const out = buildFlatPayload({ text: 'Hello n8n', outgoing: true, historyLength: 1, now });
		expect(out).toMatchObject({
			incoming_message: false,
			send_by: 'WhatsApp App',
			last_message_of_bot: 'Hello n8n',
			last_message_of_user: '',
			user_last_message_time: 0,
			bot_last_message_time: 1749506891,
		});
		expect(buildFlatPayload({ outgoing: true, sendBy: 'Ana', byHuman: false })).toMatchObject({
			send_by: 'Ana',
			was_message_by_human: false,
		});

		const doc = buildFlatPayload({ media: 'document', mediaUrl: 'https://m.test/c.pdf', now });
		expect(asArray(doc.last_messages)[0]).toEqual({
			type: 'user',
			content: '',
			timestamp: '2025-06-09T22:08:11.000Z',
			content_type: 'document',
			media_url: 'https://m.test/c.pdf',
		});
		expect(doc).toMatchObject({
			message_type: 'document',
			attachment_url: 'https://m.test/c.pdf',
			last_message_of_user: '',
		});
		expect(String(doc.conversation_paragraph)).toMatch(/^User \(10:08:11 PM\): \[Document\] ; Bot/);

		const long = buildFlatPayload({ historyLength: 20, now });
		const items = asArray(long.last_messages) as Array<{ type: string; timestamp: string }>;
		expect(items).toHaveLength(20);
		expect(items.map((m) => m.type).slice(0, 4)).toEqual(['user', 'bot', 'user', 'bot']);
		for (let i = 1; i < items.length; i++) {
			expect(Date.parse(items[i].timestamp)).toBeLessThan(Date.parse(items[i - 1].timestamp));
		}

		const ad = buildFlatPayload({ referral: true });
		expect(Object.keys(ad.referral as object)).toEqual([
			'source_type',
			'source_id',
			'source_url',
			'headline',
			'body',
			'media_type',
			'image_url',
			'ctwa_clid',
		]);
		expect('referral' in buildFlatPayload()).toBe(false);
	});
});

// --- deliveries --------------------------------------------------------------------------------

describe('deliveries', () => {
	test('only enabled registrations for the payload direction receive it', async () => {
		const [inOnly, outOnly, both, disabled] = await Promise.all([
			receiver(),
			receiver(),
			receiver(),
			receiver(),
		]);
		sb.addRecord({ webhooks: inOnly.url, incoming: true, outgoing: false });
		sb.addRecord({ webhooks: outOnly.url, incoming: false, outgoing: true });
		sb.addRecord({ webhooks: both.url, incoming: true, outgoing: true });
		sb.addRecord({ webhooks: disabled.url, status: false, incoming: true, outgoing: true });

		const incoming = await sb.deliver(buildFlatPayload({ text: 'in' }));
		expect(incoming.map((r) => [r.id, r.delivered, r.attempts.length, r.body])).toEqual([
			[1, true, 1, 'ok'],
			[3, true, 1, 'ok'],
		]);
		expect(incoming[0].url).toBe(inOnly.url);
		const outgoing = await sb.deliver(buildFlatPayload({ text: 'out', outgoing: true }));
		expect(outgoing.map((r) => r.id)).toEqual([2, 3]);
		const forced = await sb.deliver({ anything: 1 }, { direction: 'outgoing', to: 3 });
		expect(forced.map((r) => r.id)).toEqual([3]);

		expect([inOnly, outOnly, both, disabled].map((r) => r.received.length)).toEqual([1, 1, 3, 0]);
		expect(parseJson(inOnly.received[0].body).last_message_of_user).toBe('in');
		expect(inOnly.received[0].headers['content-type']).toBe('application/json');
		expect(inOnly.received[0].headers['x-webhook-signature']).toBeUndefined();
		expect(await sb.deliver(buildFlatPayload(), { to: 2 })).toEqual([]);
	});

	test('fixture bytes are sent as they are; direction comes from incoming_message', async () => {
		const hook = await receiver();
		sb.addRecord({ webhooks: hook.url, incoming: false, outgoing: true, active_signature: true });
		const raw = readFixture('flat-outgoing-whatsapp-app').toString('utf8');
		const reports = await sb.deliver(raw);
		expect(reports.map((r) => r.delivered)).toEqual([true]);
		expect(hook.received[0].body.equals(Buffer.from(raw, 'utf8'))).toBe(true);
		const incomingFixture = readFixture('flat-incoming-text').toString('utf8');
		expect(await sb.deliver(incomingFixture)).toEqual([]);
	});

	test('signatures: hex HMAC (default), the secret itself, and sha256= prefix', async () => {
		const hook = await receiver();
		const plain = await receiver();
		const created = await call(sb, 'POST', '/webhook/dev/create', {
			body: { ...FULL, webhooks: hook.url, active_signature: true },
		});
		const secret = asRecord(created.json).signature_secret ?? '';
		sb.addRecord({ webhooks: plain.url });

		await sb.deliver(buildFlatPayload({ text: 'a' }));
		await sb.deliver(buildFlatPayload({ text: 'b' }), { scheme: 'secret' });
		await sb.deliver(buildFlatPayload({ text: 'c' }), { scheme: 'hmac-prefixed' });
		const [a, b, c] = hook.received;
		expect(a.headers['x-webhook-signature']).toBe(hmacHex(secret, a.body));
		expect(/^[0-9a-f]{64}$/.test(String(a.headers['x-webhook-signature']))).toBe(true);
		expect(b.headers['x-webhook-signature'] === secret).toBe(true);
		expect(c.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(secret, c.body)}`);
		expect(plain.received.map((r) => r.headers['x-webhook-signature'])).toEqual([
			undefined,
			undefined,
			undefined,
		]);

		// The default scheme is a sandbox option too.
		const other = await WhatsAbleSandbox.start({ quiet: true, delivery: { scheme: 'secret' } });
		try {
			const seeded = other.addRecord({
				webhooks: hook.url,
				active_signature: true,
				signature_secret: 's3',
			});
			await other.deliver(buildFlatPayload());
			expect(seeded.signature_secret).toBe('s3');
			expect(hook.received[3].headers['x-webhook-signature']).toBe('s3');
		} finally {
			await other.stop();
		}
	});

	test('tamperBody, omitSignature, signatureOverride and extra headers', async () => {
		const hook = await receiver();
		const { signature_secret } = sb.addRecord({ webhooks: hook.url, active_signature: true });
		const secret = signature_secret ?? '';
		const payload = buildFlatPayload({ text: 'original' });
		const original = JSON.stringify(payload);

		await sb.deliver(payload, { tamperBody: true });
		const tampered = hook.received[0];
		expect(tampered.body.toString('utf8') === original).toBe(false);
		expect(parseJson(tampered.body).last_message_of_user).toBe('original (tampered)');
		expect(tampered.headers['x-webhook-signature']).toBe(hmacHex(secret, original));
		expect(tampered.headers['x-webhook-signature']).not.toBe(hmacHex(secret, tampered.body));

		await sb.deliver(payload, { omitSignature: true });
		expect(hook.received[1].headers['x-webhook-signature']).toBeUndefined();
		expect(hook.received[1].body.toString('utf8')).toBe(original);

		await sb.deliver(payload, { signatureOverride: 'forged', headers: { 'X-Extra': 'yes' } });
		expect(hook.received[2].headers['x-webhook-signature']).toBe('forged');
		expect(hook.received[2].headers['x-extra']).toBe('yes');
	});

	test('retries a 500 with backoff, then succeeds', async () => {
		const hook = await receiver([
			{ status: 500, body: 'down' },
			{ status: 200, body: 'thanks' },
		]);
		sb.addRecord({ webhooks: hook.url, active_signature: true });
		const [report] = await sb.deliver(buildFlatPayload(), { baseDelayMs: 40 });
		expect(report.attempts.map((a) => a.status)).toEqual([500, 200]);
		expect(report.delivered).toBe(true);
		expect(report.body).toBe('thanks');
		expect(hook.received).toHaveLength(2);
		expect(hook.received[1].body.equals(hook.received[0].body)).toBe(true);
		expect(hook.received[1].headers['x-webhook-signature']).toBe(
			hook.received[0].headers['x-webhook-signature'],
		);
		expect(hook.received[1].at - hook.received[0].at).toBeGreaterThanOrEqual(35);
	});

	test('gives up after `attempts` with exponential backoff', async () => {
		const hook = await receiver([
			{ status: 503 },
			{ status: 503 },
			{ status: 503 },
			{ status: 503 },
		]);
		sb.addRecord({ webhooks: hook.url });
		const [report] = await sb.deliver(buildFlatPayload(), { baseDelayMs: 30 });
		expect(report.delivered).toBe(false);
		expect(report.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
		const [t0, t1, t2] = hook.received.map((r) => r.at);
		expect(t1 - t0).toBeGreaterThanOrEqual(25);
		expect(t2 - t1).toBeGreaterThanOrEqual(55);
		const [once] = await sb.deliver(buildFlatPayload(), { attempts: 1 });
		expect(once.attempts).toHaveLength(1);
	});

	test('a slow receiver times out and the retry succeeds; refused connections are reported', async () => {
		const hook = await receiver([{ delayMs: 600 }, { status: 204, body: '' }]);
		sb.addRecord({ webhooks: hook.url });
		const started = Date.now();
		const [report] = await sb.deliver(buildFlatPayload(), { timeoutMs: 150 });
		expect(report.attempts.map((a) => a.error ?? a.status)).toEqual(['timeout', 204]);
		expect(report.attempts[0].ms).toBeGreaterThanOrEqual(140);
		expect(report.delivered).toBe(true);
		expect(Date.now() - started).toBeLessThan(550);

		const gone = await startReceiver();
		await gone.close();
		const closed = await WhatsAbleSandbox.start({ quiet: true });
		try {
			closed.addRecord({ webhooks: gone.url });
			const [refused] = await closed.deliver(buildFlatPayload(), { attempts: 2, baseDelayMs: 1 });
			expect(refused.attempts.map((a) => a.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
			expect(refused.delivered).toBe(false);
			expect(refused.body).toBe('');
		} finally {
			await closed.stop();
		}
	});
});

// --- control endpoints -------------------------------------------------------------------------

describe('control endpoints', () => {
	test('deliver and state need the token, skip the origin check and are not recorded', async () => {
		const hook = await receiver();
		const { signature_secret } = sb.addRecord({ webhooks: hook.url, active_signature: true });
		const secret = signature_secret ?? '';

		const denied = await call(sb, 'POST', '/__sandbox/deliver', { token: null, body: {} });
		expect(denied.status).toBe(401);
		expect(hook.received).toHaveLength(0);

		const res = await call(sb, 'POST', '/__sandbox/deliver', {
			origin: null,
			body: { build: { text: 'ctl', labels: ['x'] }, scheme: 'hmac-prefixed' },
		});
		expect(res.status).toBe(200);
		expect(
			asArray(res.json).map((r) => [asRecord(r).id, (r as { delivered: boolean }).delivered]),
		).toEqual([[1, true]]);
		const got = hook.received[0];
		expect(parseJson(got.body)).toMatchObject({ last_message_of_user: 'ctl', labels: 'x' });
		expect(got.headers['x-webhook-signature']).toBe(`sha256=${hmacHex(secret, got.body)}`);

		const exact = '{"incoming_message":true,  "x":1}';
		await call(sb, 'POST', '/__sandbox/deliver', {
			body: { payloadBase64: Buffer.from(exact).toString('base64') },
		});
		expect(hook.received[1].body.toString('utf8')).toBe(exact);

		const bad = await call(sb, 'POST', '/__sandbox/deliver', { body: { build: { media: 'gif' } } });
		expect(bad.status).toBe(400);
		const badDir = await call(sb, 'POST', '/__sandbox/deliver', {
			body: { direction: 'sideways' },
		});
		expect(badDir.status).toBe(400);

		await call(sb, 'GET', '/webhook/dev');
		const state = await call(sb, 'GET', '/__sandbox/state', { origin: null });
		expect(state.status).toBe(200);
		expect(state.json).toEqual({ records: sb.records(), calls: 1 });
		expect(state.text.includes(secret)).toBe(false);
		expect((await call(sb, 'GET', '/__sandbox/state', { token: 'nope' })).status).toBe(401);
		expect(sb.calls.map((c) => c.path)).toEqual([`${API_PREFIX}/webhook/dev`]);
	});
});

// --- CLI ---------------------------------------------------------------------------------------

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(
			() => reject(new Error('CLI did not print its URL in time')),
			timeoutMs,
		);
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString('utf8');
			const m = pattern.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.once('exit', () => {
			clearTimeout(timer);
			reject(new Error('CLI exited early'));
		});
	});
}

/** The CLI as `npm run sandbox` runs it: tsx on the TypeScript source. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- running the CLI is what this test is for
	return spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['sandbox/cli.ts', ...args], {
		cwd: ROOT,
		env,
	});
}

function run(
	args: string[],
	env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawnCli(args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
		child.once('error', reject);
		child.once('exit', (code) => resolve({ code, stdout, stderr }));
	});
}

describe('CLI', () => {
	test('serve + send deliver a signed message to a registered receiver', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'whatsable-sandbox-'));
		const stateFile = path.join(dir, 'state.json');
		const env: NodeJS.ProcessEnv = { ...process.env, WHATSABLE_SANDBOX_STATE: stateFile };
		delete env.WHATSABLE_SANDBOX_URL;
		delete env.WHATSABLE_SANDBOX_TOKEN;
		const server = spawnCli(['serve', '--port', '0'], env);
		let serverOut = '';
		server.stdout.on('data', (c: Buffer) => (serverOut += c.toString('utf8')));
		const exited = new Promise<number | null>((resolve) =>
			server.once('exit', (code) => resolve(code)),
		);
		try {
			const baseUrl = await waitForOutput(server, /base URL: (http:\/\/127\.0\.0\.1:\d+)/, 10_000);
			const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
				baseUrl: string;
				token: string;
			};
			expect(state.baseUrl).toBe(baseUrl);
			const token = state.token;

			const hook = await receiver();
			const created = await request(`${baseUrl}${API_PREFIX}/webhook/dev/create`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					origin: DEFAULT_ORIGIN,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ ...FULL, webhooks: hook.url, active_signature: true }),
			});
			expect(created.statusCode).toBe(200);
			const secret = asRecord(await created.body.json()).signature_secret ?? '';

			// send finds the sandbox through the state file.
			const sent = await run(['send', '--text', 'hi', '--labels', 'a,b'], env);
			expect(sent.code).toBe(0);
			expect(sent.stdout).toContain(`#1 ${hook.url} -> 200 (1 attempt)`);
			expect(hook.received).toHaveLength(1);
			const got = hook.received[0];
			expect(parseJson(got.body)).toMatchObject({ last_message_of_user: 'hi', labels: 'a, b' });
			expect(got.headers['x-webhook-signature']).toBe(hmacHex(secret, got.body));

			// Nothing matches outgoing: non-zero exit.
			const none = await run(['send', '--outgoing', '--url', baseUrl, '--token', token], env);
			expect(none.code).toBe(1);
			expect(none.stderr).toContain('No registration matched');
			expect(hook.received).toHaveLength(1);

			// A failed delivery: non-zero exit, the failure listed.
			const down = await startReceiver();
			await down.close();
			await request(`${baseUrl}${API_PREFIX}/webhook/dev/create`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${token}`,
					origin: DEFAULT_ORIGIN,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ ...FULL, webhooks: down.url, incoming: false, outgoing: true }),
			}).then((r) => r.body.text());
			const failed = await run(['send', '--outgoing', '--attempts', '1'], env);
			expect(failed.code).toBe(1);
			expect(failed.stdout).toContain(`FAIL #2 ${down.url} -> ECONNREFUSED (1 attempt)`);

			expect(serverOut).toContain(`POST ${API_PREFIX}/webhook/dev/create 200`);
			const leaks = serverOut
				.split('\n')
				.filter((line) => !line.includes('WHATSABLE_SANDBOX_TOKEN='))
				.filter((line) => line.includes(token) || line.includes(secret));
			expect(leaks).toHaveLength(0);
			expect(sent.stdout.includes(token) || sent.stdout.includes(secret)).toBe(false);
		} finally {
			server.kill('SIGTERM');
			const code = await exited;
			expect(code).toBe(0);
			expect(existsSync(stateFile)).toBe(false);
			rmSync(dir, { recursive: true, force: true });
		}
	}, 20_000);
});
