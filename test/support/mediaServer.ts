/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * Media servers for the attachment tests, over real HTTP on this machine:
 * - `MediaServer`: good files (any name under /named/), expired links, redirects anywhere, and
 *   the attacks of issue 14 (a 1.5 GB Content-Length, an endless body, a trickle of bytes that
 *   never goes idle), counting what it sent;
 * - `Tripwire`: a listener that stands for an internal service and counts every connection
 *   (on `::`, so IPv4, IPv6 loopback and IPv4-mapped addresses all reach it).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export const SAMPLE_PDF = Buffer.from('%PDF-1.4 a small test document');
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

export class MediaServer {
	/** Per path: bytes of body written by the streaming routes. */
	private readonly sent = new Map<string, number>();
	/** Per path: answers whose connection was closed before the body ended (the client stopped reading). */
	readonly cutShort = new Map<string, number>();
	readonly paths: string[] = [];
	/** Requests being answered right now, and the most there ever were at once. */
	private inFlight = 0;
	peakInFlight = 0;
	origin = '';
	private server!: http.Server;
	private readonly timers = new Set<NodeJS.Timeout>();

	static async start(): Promise<MediaServer> {
		const media = new MediaServer();
		media.server = http.createServer((req, res) => media.handle(req, res));
		await new Promise<void>((resolve) => media.server.listen(0, '127.0.0.1', resolve));
		media.origin = `http://127.0.0.1:${(media.server.address() as AddressInfo).port}`;
		return media;
	}

	async stop(): Promise<void> {
		for (const t of this.timers) clearTimeout(t);
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	sentOf(path: string): number {
		return this.sent.get(path) ?? 0;
	}

	cutShortOf(path: string): number {
		return this.cutShort.get(path) ?? 0;
	}

	/** Writes `chunk` every `ms` until the client goes away. */
	private every(path: string, ms: number, res: http.ServerResponse, chunk: Buffer | string): void {
		const timer = setInterval(() => {
			this.sent.set(path, this.sentOf(path) + chunk.length);
			res.write(chunk);
		}, ms);
		this.timers.add(timer);
		res.on('close', () => {
			clearInterval(timer);
			this.timers.delete(timer);
			if (!res.writableEnded) this.cutShort.set(path, this.cutShortOf(path) + 1);
		});
	}

	private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://media');
		this.paths.push(url.pathname);
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		res.on('close', () => this.inFlight--);
		// /sized/<bytes>/<name>: that many bytes, declared, sent after a moment (so downloads overlap).
		const sized = /^\/sized\/(\d+)\//.exec(url.pathname);
		if (sized) {
			const body = Buffer.alloc(Number(sized[1]), 0x62);
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
			}, 50);
			this.timers.add(timer);
			return;
		}
		switch (url.pathname) {
			case '/doc.pdf':
				res.writeHead(200, {
					'content-type': 'application/pdf',
					'content-length': SAMPLE_PDF.length,
				});
				res.end(SAMPLE_PDF);
				return;
			case '/redirect':
				// `to` is taken as given: absolute, relative, or an attack.
				res.writeHead(Number(url.searchParams.get('status') ?? 302), {
					location: url.searchParams.get('to') ?? '/doc.pdf',
				});
				res.end();
				return;
			case '/loop':
				res.writeHead(302, { location: '/loop' }).end();
				return;
			case '/declared-huge':
				// The attack's 1,500 MB file: refused on the header, before any body is read.
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 1_500 * 1024 * 1024 });
				this.every(url.pathname, 50, res, CHUNK);
				return;
			case '/endless':
				// No Content-Length: only counting while reading can stop it.
				res.writeHead(200, { 'content-type': 'video/mp4' });
				this.every(url.pathname, 5, res, CHUNK);
				return;
			case '/slow':
				// A byte every 100 ms: never idle long enough for an idle timeout.
				res.writeHead(200, { 'content-type': 'image/jpeg' });
				res.write('x');
				this.every(url.pathname, 100, res, 'x');
				return;
			default:
				// Any name under /named/: the sample file, for what the trigger makes of the name.
				if (url.pathname.startsWith('/named/')) {
					res.writeHead(200, { 'content-type': 'application/pdf' }).end(SAMPLE_PDF);
					return;
				}
				res.writeHead(404).end();
		}
	}
}

export class Tripwire {
	connections = 0;
	port = 0;
	private server!: net.Server;

	static async start(): Promise<Tripwire> {
		const wire = new Tripwire();
		wire.server = net.createServer((socket) => {
			wire.connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => wire.server.listen(0, '::', resolve));
		wire.port = (wire.server.address() as AddressInfo).port;
		return wire;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
