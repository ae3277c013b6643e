/* eslint-disable no-console -- dev tooling, not shipped in the package */
/**
 * The real-n8n stack in queue mode (n8n's scaling mode), for `npm run test:e2e:queue`: a fresh
 * PostgreSQL database and Redis prefix per run, one main (`n8n start`: the editor, REST, and the
 * trigger's webhookMethods), webhook processors (`n8n webhook`) behind a round-robin proxy that
 * WEBHOOK_URL points at, and one worker (`n8n worker`), all on 127.0.0.1 and all sharing one user
 * folder (so one encryption key and one installed package). The main is THE stack of stack.ts
 * (package, sandbox, sink, owner, credential) started in queue mode; the rest is added here.
 */
import { FLUSH_HEADER } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { startN8n, type N8nProcess } from './process';
import { RoundRobinProxy } from './proxy';
import {
	createDatabase,
	deleteRedisPrefix,
	dropDatabase,
	queueModeEnv,
	runName,
} from './queueServices';
import { N8nStack, type StackOptions } from './stack';

export interface QueueStackOptions extends Omit<StackOptions, 'userFolder' | 'webhookUrl' | 'n8nPort'> {
	/** Default 2. */
	webhookProcessors?: number;
}

export class QueueStack {
	readonly database = runName('whatsable_q');
	readonly redisPrefix = runName('whatsable_q');
	readonly webhooks: N8nProcess[] = [];
	private workerProcess: N8nProcess | undefined;
	private mainStack: N8nStack | undefined;
	private proxyServer: RoundRobinProxy | undefined;
	private databaseCreated = false;

	private constructor(private readonly opts: QueueStackOptions) {}

	static async start(opts: QueueStackOptions = {}): Promise<QueueStack> {
		const stack = new QueueStack(opts);
		try {
			await stack.startAll();
		} catch (error) {
			await stack.stop();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- dev tooling, not a node
			throw error;
		}
		return stack;
	}

	get main(): N8nStack {
		if (!this.mainStack) throw new Error('the queue stack has not started its main');
		return this.mainStack;
	}
	get proxy(): RoundRobinProxy {
		if (!this.proxyServer) throw new Error('the queue stack has not started its proxy');
		return this.proxyServer;
	}
	get worker(): N8nProcess {
		if (!this.workerProcess) throw new Error('the queue stack has not started its worker');
		return this.workerProcess;
	}
	/** Every n8n process: main, webhook processors, worker. */
	get processes(): N8nProcess[] {
		return [this.main.n8n, ...this.webhooks, this.worker];
	}
	/** What WEBHOOK_URL is: the proxy. */
	get webhookUrl(): string {
		return `${this.proxy.url}/`;
	}

	private get env(): Record<string, string> {
		return { ...queueModeEnv(this.database, this.redisPrefix), ...this.opts.env };
	}

	private async startAll(): Promise<void> {
		await createDatabase(this.database);
		this.databaseCreated = true;
		// The trigger's own requests carry the flush header: the proxy counts them apart.
		this.proxyServer = await RoundRobinProxy.start({ markedHeader: FLUSH_HEADER });
		// The main first, alone: it runs the database migrations.
		const main = new N8nStack({ ...this.opts, webhookUrl: this.webhookUrl, env: this.env });
		this.mainStack = main;
		await main.start();
		const count = this.opts.webhookProcessors ?? 2;
		const started = await Promise.all([
			...Array.from({ length: count }, (_, i) => this.startProcess('webhook', `webhook-${i + 1}.log`)),
			this.startProcess('worker', 'worker.log'),
		]);
		this.workerProcess = started.pop();
		this.webhooks.push(...started);
		await this.proxy.setBackends(this.webhooks.map((w) => w.baseUrl));
		await this.proxy.allReady();
	}

	private async startProcess(command: 'webhook' | 'worker', logName: string): Promise<N8nProcess> {
		const main = this.main;
		return await startN8n({
			install: main.install,
			userFolder: main.userFolder,
			command,
			logName,
			webhookUrl: this.webhookUrl,
			env: this.env,
			echo: this.opts.echo,
		});
	}

	/** Restarts every n8n process, main first, the others together. */
	async restartAll(): Promise<void> {
		await Promise.all(this.processes.map((p) => p.stop()));
		await this.main.n8n.start();
		await Promise.all([...this.webhooks, this.worker].map((p) => p.start()));
		await this.proxy.allReady();
		await this.main.rest.login(this.main.owner.email, this.main.owner.password);
	}

	async stop(): Promise<void> {
		await Promise.all([...this.webhooks, this.workerProcess].map((p) => p?.close().catch(() => undefined)));
		await this.mainStack?.stop().catch((error: unknown) => console.error(`[queue stack] ${String(error)}`));
		await this.proxyServer?.stop().catch(() => undefined);
		if (this.databaseCreated) {
			await dropDatabase(this.database).catch((error: unknown) =>
				console.error(`[queue stack] ${String(error)}`),
			);
		}
		await deleteRedisPrefix(this.redisPrefix).catch((error: unknown) =>
			console.error(`[queue stack] ${String(error)}`),
		);
	}
}
