/**
 * A minimal Chrome DevTools Protocol client for a Node process started with
 * `--inspect=127.0.0.1:0`: forces a full garbage collection and reads the V8 heap, so memory
 * figures compare what a process retains rather than when V8 last happened to collect.
 * (Measured: one RSS reading per side without a forced collection swung by 590 MB.)
 */
import { WebSocket } from 'undici';

/** What Node prints on stderr once its inspector listens. */
const LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/** The first inspector address in a process's output: n8n's main process starts before its task runner. */
export function inspectorUrlIn(output: string): string | undefined {
	return LISTENING.exec(output)?.[1];
}

export class InspectorSession {
	private nextId = 1;
	private readonly pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();

	private constructor(private readonly socket: WebSocket) {
		socket.addEventListener('message', (event) => {
			const reply = JSON.parse(String(event.data)) as {
				id?: number;
				result?: unknown;
				error?: { message: string };
			};
			const waiter = reply.id === undefined ? undefined : this.pending.get(reply.id);
			if (!waiter || reply.id === undefined) return;
			this.pending.delete(reply.id);
			if (reply.error) waiter.reject(new Error(`inspector: ${reply.error.message}`));
			else waiter.resolve(reply.result);
		});
		socket.addEventListener('close', () => {
			for (const waiter of this.pending.values()) waiter.reject(new Error('inspector closed'));
			this.pending.clear();
		});
	}

	static async connect(url: string): Promise<InspectorSession> {
		const socket = new WebSocket(url);
		await new Promise<void>((resolve, reject) => {
			socket.addEventListener('open', () => resolve(), { once: true });
			socket.addEventListener('error', () => reject(new Error(`cannot reach ${url}`)), {
				once: true,
			});
		});
		return new InspectorSession(socket);
	}

	private async send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
		const id = this.nextId++;
		const result = new Promise<unknown>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
		});
		this.socket.send(JSON.stringify({ id, method, params }));
		return (await result) as T;
	}

	/** A full, compacting collection (V8's own, as the DevTools "collect garbage" button). */
	async collectGarbage(): Promise<void> {
		await this.send('HeapProfiler.collectGarbage');
	}

	/** Bytes of live objects on the V8 heap. */
	async heapUsedBytes(): Promise<number> {
		const usage = await this.send<{ usedSize: number }>('Runtime.getHeapUsage');
		return usage.usedSize;
	}

	close(): void {
		this.socket.close();
	}
}
