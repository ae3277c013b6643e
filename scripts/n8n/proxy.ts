/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * A small round-robin HTTP load balancer on 127.0.0.1, in front of the webhook processors of the
 * queue-mode stack: WEBHOOK_URL points here, so WhatsAble (the sandbox), the tests and the
 * trigger's own requests all pass through it. It counts answers per backend (so tests can count
 * 401s and 5xx per process), separately for requests carrying a marked header (the trigger's own
 * requests), and lets a test pick the backend with BACKEND_HEADER.
 *
 * Like a real load balancer it routes only to backends that are ready: it polls each backend's
 * READINESS_PATH, takes a backend out on a failed poll or a request it could not deliver, and
 * puts it back only once the poll answers 200. A starting n8n answers its webhook URLs with
 * 200 "n8n is starting up. Please wait" and runs nothing (measured in the SIGKILL test), so a
 * balancer without this check loses deliveries that WhatsAble believes were delivered.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { httpRequest, waitFor } from './http';

/** `x-harness-backend: <index>` sends the request to that backend (the header is not forwarded). */
export const BACKEND_HEADER = 'x-harness-backend';

/** n8n answers 200 here only once its database is connected and migrated. */
export const READINESS_PATH = '/healthz/readiness';
const READINESS_INTERVAL_MS = 250;
const READINESS_TIMEOUT_MS = 2_000;

/** Answers by status code ("502" when the backend could not be reached). */
export type StatusCounts = Record<string, number>;

export interface BackendCounters {
	statuses: StatusCounts;
	/** Requests that carried the proxy's marked header, by status. */
	marked: StatusCounts;
	/** How often the backend was taken out of the rotation. */
	takenOut: number;
}

function newCounters(): BackendCounters {
	return { statuses: {}, marked: {}, takenOut: 0 };
}

export function countOf(counts: StatusCounts, predicate: (status: number) => boolean): number {
	return Object.entries(counts)
		.filter(([status]) => predicate(Number(status)))
		.reduce((sum, [, n]) => sum + n, 0);
}

export class RoundRobinProxy {
	private backends: string[] = [];
	private counters: BackendCounters[] = [];
	private ready: boolean[] = [];
	/** Requests answered 503 because no backend was ready. */
	private unroutedCount = 0;
	private next = 0;
	private poller: NodeJS.Timeout | undefined;
	/*
	 * A new connection per request, as nginx's default upstream: a kept-alive socket that the
	 * backend closes (idle timeout) just as a request is written on it fails with ECONNRESET, and a
	 * POST cannot be replayed safely, so a reused socket would turn into a spurious 502.
	 */
	private readonly agent = new http.Agent({ keepAlive: false, maxSockets: 256 });

	private constructor(
		private readonly server: http.Server,
		readonly url: string,
		private readonly markedHeader: string | undefined,
	) {}

	/** `markedHeader`: requests with this header are also counted apart. */
	static async start({ markedHeader }: { markedHeader?: string } = {}): Promise<RoundRobinProxy> {
		const server = http.createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		const { port } = server.address() as AddressInfo;
		const proxy = new RoundRobinProxy(
			server,
			`http://127.0.0.1:${port}`,
			markedHeader?.toLowerCase(),
		);
		server.on('request', (req, res) => proxy.forward(req, res));
		return proxy;
	}

	/**
	 * The backends' base URLs (`http://127.0.0.1:<port>`), in index order; counters restart.
	 * Resolves once each backend's readiness has been polled once.
	 */
	async setBackends(urls: string[]): Promise<void> {
		this.backends = [...urls];
		this.ready = urls.map(() => false);
		this.resetCounters();
		await this.pollAll();
		this.poller ??= setInterval(() => void this.pollAll(), READINESS_INTERVAL_MS);
	}

	resetCounters(): void {
		this.counters = this.backends.map(() => newCounters());
		this.unroutedCount = 0;
	}

	/** A copy of the counters, one entry per backend. */
	snapshot(): BackendCounters[] {
		return this.counters.map((c) => ({
			...c,
			statuses: { ...c.statuses },
			marked: { ...c.marked },
		}));
	}

	/** Requests answered 503 by the proxy itself: no backend was ready. */
	get unrouted(): number {
		return this.unroutedCount;
	}

	/** Resolves once every backend answers its readiness check with 200. */
	async allReady(timeoutMs = 120_000): Promise<void> {
		await waitFor(
			'every backend to answer its readiness check with 200',
			async () => {
				await this.pollAll();
				return this.ready.every(Boolean) ? true : undefined;
			},
			{ timeoutMs, intervalMs: READINESS_INTERVAL_MS },
		);
	}

	private async pollAll(): Promise<void> {
		await Promise.all(this.backends.map((url, index) => this.poll(url, index)));
	}

	private async poll(url: string, index: number): Promise<void> {
		const ok = await httpRequest(`${url}${READINESS_PATH}`, {
			timeoutMs: READINESS_TIMEOUT_MS,
		}).then(
			(answer) => answer.status === 200,
			() => false,
		);
		// The backends may have been replaced while the poll was out.
		if (this.backends[index] !== url) return;
		if (ok) this.ready[index] = true;
		else this.takeOut(index);
	}

	private takeOut(index: number): void {
		if (!this.ready[index]) return;
		this.ready[index] = false;
		const counters = this.counters[index];
		if (counters) counters.takenOut++;
	}

	/** The named backend (tests pick one on purpose, ready or not), else the next ready one. */
	private pick(req: http.IncomingMessage): number | undefined {
		const chosen = req.headers[BACKEND_HEADER];
		if (typeof chosen === 'string') {
			const index = Number(chosen);
			return Number.isInteger(index) && index >= 0 && index < this.backends.length
				? index
				: undefined;
		}
		for (let tried = 0; tried < this.backends.length; tried++) {
			const index = (this.next + tried) % this.backends.length;
			if (this.ready[index]) {
				this.next = index + 1;
				return index;
			}
		}
		return undefined;
	}

	private count(index: number, req: http.IncomingMessage, status: number): void {
		const counters = this.counters[index];
		if (!counters) return;
		const key = String(status);
		counters.statuses[key] = (counters.statuses[key] ?? 0) + 1;
		if (this.markedHeader !== undefined && req.headers[this.markedHeader] !== undefined) {
			counters.marked[key] = (counters.marked[key] ?? 0) + 1;
		}
	}

	private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
		const index = this.pick(req);
		if (index === undefined) {
			if (typeof req.headers[BACKEND_HEADER] === 'string') {
				res.writeHead(400, { 'content-type': 'text/plain' }).end('no such backend\n');
			} else {
				this.unroutedCount++;
				res.writeHead(503, { 'content-type': 'text/plain' }).end('no backend is ready\n');
			}
			return;
		}
		const target = new URL(this.backends[index]);
		const headers: http.OutgoingHttpHeaders = { ...req.headers, host: target.host };
		delete headers[BACKEND_HEADER];
		let answered = false;
		const fail = () => {
			if (answered) return;
			answered = true;
			this.count(index, req, 502);
			this.takeOut(index);
			if (res.headersSent) res.destroy();
			else res.writeHead(502, { 'content-type': 'text/plain' }).end('backend unreachable\n');
		};
		const upstream = http.request(
			{
				hostname: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers,
				agent: this.agent,
			},
			(answer) => {
				const status = answer.statusCode ?? 502;
				res.writeHead(status, answer.headers);
				answer.pipe(res);
				answer.on('end', () => {
					if (answered) return;
					answered = true;
					this.count(index, req, status);
				});
				answer.on('error', fail);
			},
		);
		upstream.on('error', fail);
		req.pipe(upstream);
	}

	async stop(): Promise<void> {
		clearInterval(this.poller);
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		this.agent.destroy();
		await closed;
	}
}
