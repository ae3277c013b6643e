/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * A small HTTP client on node:http. No keep-alive on purpose: n8n is restarted under the tests'
 * feet, and a pooled socket to a dead process fails the next call for no reason of its own.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface HttpRequest {
	method?: string;
	headers?: Record<string, string>;
	/** A string or bytes are sent as they are; anything else as JSON. */
	body?: unknown;
	timeoutMs?: number;
}

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

export async function httpRequest(url: string, req: HttpRequest = {}): Promise<HttpResponse> {
	const target = new URL(url);
	const headers: Record<string, string> = { ...req.headers };
	let payload: Buffer | undefined;
	if (req.body !== undefined) {
		if (Buffer.isBuffer(req.body)) payload = req.body;
		else if (typeof req.body === 'string') payload = Buffer.from(req.body, 'utf8');
		else {
			payload = Buffer.from(JSON.stringify(req.body), 'utf8');
			headers['content-type'] ??= 'application/json';
		}
		headers['content-length'] = String(payload.length);
	}
	const timeoutMs = req.timeoutMs ?? 30_000;
	return await new Promise<HttpResponse>((resolve, reject) => {
		const request = http.request(
			{
				protocol: target.protocol,
				hostname: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: req.method ?? 'GET',
				headers,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', reject);
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text: Buffer.concat(chunks).toString('utf8'),
					}),
				);
			},
		);
		request.setTimeout(timeoutMs, () => {
			request.destroy(
				new Error(`${req.method ?? 'GET'} ${target.pathname} timed out after ${timeoutMs} ms`),
			);
		});
		request.on('error', reject);
		request.end(payload);
	});
}

/** A port the OS says is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise<number>((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
		});
	});
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
export async function isPortFree(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export async function sleep(ms: number): Promise<void> {
	await new Promise<void>((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	{ timeoutMs = 30_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() >= deadline) {
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
		}
		await sleep(intervalMs);
	}
}
