/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	BACKEND_HEADER,
	READINESS_PATH,
	RoundRobinProxy,
	countOf,
} from '../../../scripts/n8n/proxy';
import { sleep, waitFor } from '../../../scripts/n8n/http';

/** A stand-in for an n8n webhook processor: answers its name, readiness as told. */
class Backend {
	ready = true;
	hits = 0;
	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(name: string): Promise<Backend> {
		const server = http.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const backend = new Backend(
			server,
			`http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		);
		server.on('request', (req, res) => {
			if (req.url === READINESS_PATH) {
				res.writeHead(backend.ready ? 200 : 503).end();
				return;
			}
			backend.hits++;
			res.writeHead(200).end(name);
		});
		return backend;
	}

	async stop(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closed;
	}
}

async function get(
	url: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
	const response = await fetch(url, { headers });
	return { status: response.status, body: await response.text() };
}

describe('the harness load balancer', () => {
	let proxy: RoundRobinProxy;
	let a: Backend;
	let b: Backend;

	beforeEach(async () => {
		[a, b] = await Promise.all([Backend.start('a'), Backend.start('b')]);
		proxy = await RoundRobinProxy.start();
	});
	afterEach(async () => {
		await proxy.stop();
		await Promise.all([a.stop().catch(() => undefined), b.stop().catch(() => undefined)]);
	});

	test('alternates between ready backends', async () => {
		await proxy.setBackends([a.url, b.url]);
		const bodies = [];
		for (let i = 0; i < 4; i++) bodies.push((await get(`${proxy.url}/x`)).body);
		expect(bodies).toEqual(['a', 'b', 'a', 'b']);
	});

	test('sends nothing to a backend whose readiness check fails', async () => {
		b.ready = false;
		await proxy.setBackends([a.url, b.url]);
		for (let i = 0; i < 6; i++) expect((await get(`${proxy.url}/x`)).body).toBe('a');
		expect(b.hits).toBe(0);
	});

	test('takes a backend out when it cannot be reached, and back in once its readiness answers 200', async () => {
		await proxy.setBackends([a.url, b.url]);
		a.ready = false; // a restarted n8n: listening, not yet migrated
		await a.stop();
		const answers = [];
		for (let i = 0; i < 4; i++) answers.push(await get(`${proxy.url}/x`));
		// At most the first request meets the dead backend (502); the rest go to the live one.
		expect(answers.filter((r) => r.status === 502).length).toBeLessThanOrEqual(1);
		expect(answers.filter((r) => r.body === 'b').length).toBeGreaterThanOrEqual(3);
		const [countersA] = proxy.snapshot();
		expect(countersA.takenOut).toBe(1);

		// Back on the same port, still starting: no traffic until readiness says 200.
		const port = Number(new URL(a.url).port);
		const restarted = http.createServer((req, res) => {
			if (req.url === READINESS_PATH) res.writeHead(a.ready ? 200 : 503).end();
			else res.writeHead(200).end('a again');
		});
		await new Promise<void>((resolve) => restarted.listen(port, '127.0.0.1', () => resolve()));
		try {
			await sleep(600);
			for (let i = 0; i < 4; i++) expect((await get(`${proxy.url}/x`)).body).toBe('b');
			a.ready = true;
			const bodies: string[] = [];
			await waitFor(
				'the restarted backend to get traffic again',
				async () => {
					bodies.push((await get(`${proxy.url}/x`)).body);
					return bodies.includes('a again') ? true : undefined;
				},
				{ timeoutMs: 5_000, intervalMs: 50 },
			);
			expect(bodies.filter((body) => body !== 'b' && body !== 'a again')).toEqual([]);
		} finally {
			await new Promise<void>((resolve) => {
				restarted.close(() => resolve());
				restarted.closeAllConnections();
			});
		}
	});

	test('answers 503 itself when no backend is ready, and counts it apart', async () => {
		a.ready = false;
		b.ready = false;
		await proxy.setBackends([a.url, b.url]);
		expect((await get(`${proxy.url}/x`)).status).toBe(503);
		expect(proxy.unrouted).toBe(1);
		expect(a.hits + b.hits).toBe(0);
		expect(proxy.snapshot().every((c) => countOf(c.statuses, () => true) === 0)).toBe(true);
	});

	test('a named backend gets the request whether ready or not (tests pick one on purpose)', async () => {
		b.ready = false;
		await proxy.setBackends([a.url, b.url]);
		expect((await get(`${proxy.url}/x`, { [BACKEND_HEADER]: '1' })).body).toBe('b');
		expect(countOf(proxy.snapshot()[1].statuses, (s) => s === 200)).toBe(1);
	});
});
