/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * A tiny HTTP server on 127.0.0.1 that records the JSON bodies POSTed to it. Test workflows end in
 * an HTTP Request node that posts `{{ $json }}` here, so every item an execution produced is
 * observable from outside n8n, independent of n8n's execution API.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitFor } from './http';

export interface SinkRecord {
	/** The path after the host: tests give each workflow its own (`/sink/<tag>`). */
	path: string;
	body: unknown;
	at: number;
}

export class Sink {
	readonly records: SinkRecord[] = [];

	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(): Promise<Sink> {
		const server = http.createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		const { port } = server.address() as AddressInfo;
		const sink = new Sink(server, `http://127.0.0.1:${port}`);
		server.on('request', (req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let body: unknown = text;
				try {
					body = JSON.parse(text);
				} catch {
					// Kept as text.
				}
				sink.records.push({ path: req.url ?? '/', body, at: Date.now() });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end('{"ok":true}');
			});
		});
		return sink;
	}

	/** The URL a workflow tagged `tag` posts to. */
	urlFor(tag: string): string {
		return `${this.url}/sink/${encodeURIComponent(tag)}`;
	}

	bodiesFor(tag: string): unknown[] {
		const path = `/sink/${encodeURIComponent(tag)}`;
		return this.records.filter((r) => r.path === path).map((r) => r.body);
	}

	async waitForCount(tag: string, count: number, timeoutMs = 30_000): Promise<unknown[]> {
		return await waitFor(
			`${count} sink bodies for ${tag}`,
			() => {
				const bodies = this.bodiesFor(tag);
				return bodies.length >= count ? bodies : undefined;
			},
			{ timeoutMs, intervalMs: 100 },
		);
	}

	async stop(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closed;
	}
}
