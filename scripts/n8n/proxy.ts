/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * A small round-robin HTTP load balancer on 127.0.0.1, in front of the webhook processors of the
 * queue-mode stack: WEBHOOK_URL points here, so WhatsAble (the sandbox), the tests and the
 * trigger's own requests all pass through it. It counts answers per backend (so tests can count
 * 401s and 5xx per process), separately for requests carrying a marked header (the trigger's own
 * requests), and lets a test pick the backend with BACKEND_HEADER.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `x-harness-backend: <index>` sends the request to that backend (the header is not forwarded). */
export const BACKEND_HEADER = 'x-harness-backend';

/** Answers by status code ("502" when the backend could not be reached). */
export type StatusCounts = Record<string, number>;

export interface BackendCounters {
	statuses: StatusCounts;
	/** Requests that carried the proxy's marked header, by status. */
	marked: StatusCounts;
}

function newCounters(): BackendCounters {
	return { statuses: {}, marked: {} };
}

export function countOf(counts: StatusCounts, predicate: (status: number) => boolean): number {
	return Object.entries(counts)
		.filter(([status]) => predicate(Number(status)))
		.reduce((sum, [, n]) => sum + n, 0);
}

export class RoundRobinProxy {
	private backends: string[] = [];
	private counters: BackendCounters[] = [];
	private next = 0;
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
		const proxy = new RoundRobinProxy(server, `http://127.0.0.1:${port}`, markedHeader?.toLowerCase());
		server.on('request', (req, res) => proxy.forward(req, res));
		return proxy;
	}

	/** The backends' base URLs (`http://127.0.0.1:<port>`), in index order; counters restart. */
	setBackends(urls: string[]): void {
		this.backends = [...urls];
		this.resetCounters();
	}

	resetCounters(): void {
		this.counters = this.backends.map(() => newCounters());
	}

	/** A copy of the counters, one entry per backend. */
	snapshot(): BackendCounters[] {
		return this.counters.map((c) => ({ statuses: { ...c.statuses }, marked: { ...c.marked } }));
	}

	private pick(req: http.IncomingMessage): number | undefined {
		const chosen = req.headers[BACKEND_HEADER];
		if (typeof chosen === 'string') {
			const index = Number(chosen);
			return Number.isInteger(index) && index >= 0 && index < this.backends.length ? index : undefined;
		}
		if (this.backends.length === 0) return undefined;
		const index = this.next % this.backends.length;
		this.next = index + 1;
		return index;
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
			res.writeHead(400, { 'content-type': 'text/plain' }).end('no such backend\n');
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
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		this.agent.destroy();
		await closed;
	}
}
