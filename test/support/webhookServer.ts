/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * A real HTTP endpoint that hands each request to the trigger's `webhook()` in n8n-core's real
 * WebhookContext, the way n8n's webhook server does: raw body kept, `getResponseObject()` for
 * direct answers, `{ workflowData }` meaning "start an execution" (recorded here instead), static
 * data loaded per request and saved only when no execution started (as n8n 2.41.1 does). Lets the
 * sandbox deliver to the trigger over real HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IDataObject,
	INodeExecutionData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { FLUSH_HEADER } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';
import { CapturingLogger, makeWebhookContext, type CredentialsInput } from './n8nContext';
import { routeTestHosts, type TestHosts } from './testHosts';
import { settleFlushes } from './restart';

type Request = NonNullable<IWorkflowExecuteAdditionalData['httpRequest']>;
type Response = NonNullable<IWorkflowExecuteAdditionalData['httpResponse']>;

/** Static data as n8n stores and reloads it: JSON in a database column (no proxies, no sharing). */
function fromDatabase(data: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}

export interface Execution {
	items: INodeExecutionData[];
	response: unknown;
}

export interface TriggerEndpointOptions {
	credentials: CredentialsInput;
	parameters: Record<string, unknown>;
	staticData: IDataObject;
	mode?: 'webhook' | 'manual';
	/** Path of the URL, like n8n's /webhook/<id>/webhook. */
	path?: string;
	/** Public-looking host names routed to local servers (see testHosts.ts). */
	hosts?: TestHosts;
	/** Answer 500 instead of starting an execution, as n8n does when it cannot queue one. */
	failExecutions?: boolean;
}

export class TriggerEndpoint {
	readonly executions: Execution[] = [];
	/** Answers to deliveries (the trigger's own flush requests are counted in `flushes`). */
	readonly answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }> = [];
	flushes = 0;
	/**
	 * Calls that started an execution AND changed static data. n8n 1.x saves such a change before
	 * it answers, and in Respond-to-Webhook mode ends the answer empty meanwhile (measured on
	 * 1.123.81), so the trigger must make none.
	 */
	runWrites = 0;
	readonly logger = new CapturingLogger();
	/** Static data as n8n would have saved it: only from calls that started no execution. */
	saved: IDataObject;
	private server!: http.Server;
	url = '';

	constructor(private readonly options: TriggerEndpointOptions) {
		this.saved = fromDatabase(options.staticData);
	}

	static async start(options: TriggerEndpointOptions): Promise<TriggerEndpoint> {
		const endpoint = new TriggerEndpoint(options);
		endpoint.server = http.createServer((req, res) => void endpoint.handle(req, res));
		await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
		const { port } = endpoint.server.address() as AddressInfo;
		endpoint.url = `http://127.0.0.1:${port}${options.path ?? '/webhook/abc/webhook'}`;
		return endpoint;
	}

	async stop(): Promise<void> {
		await settleFlushes();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Each request gets static data as loaded from the database, like n8n 2.41.1 does. */
	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const isFlush = req.headers[FLUSH_HEADER] !== undefined;
		const staticData: IDataObject = fromDatabase(this.saved);
		const loaded = JSON.stringify(staticData);
		let status = 200;
		let answered = false;
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		const response = {
			setHeader(name: string, value: string) {
				headers[name.toLowerCase()] = value;
				return response;
			},
			status(code: number) {
				status = code;
				return response;
			},
			json: (body: unknown) => {
				answered = true;
				if (isFlush) this.flushes++;
				else this.answers.push({ status, body, headers: { ...headers } });
				res.writeHead(status, headers);
				res.end(JSON.stringify(body));
			},
			// What the trigger watches to know n8n has answered (flush.ts): the real response's.
			once: (event: string, listener: () => void) => {
				res.once(event, listener);
				return response;
			},
			get writableFinished() {
				return res.writableFinished;
			},
			get destroyed() {
				return res.destroyed;
			},
			get statusCode() {
				return res.statusCode;
			},
		};
		const request = {
			method: req.method,
			headers: req.headers,
			rawBody,
			body: {},
			params: {},
			query: {},
		};
		const ctx = makeWebhookContext({
			credentials: this.options.credentials,
			parameters: this.options.parameters,
			webhookUrl: this.url,
			workflowStaticData: staticData,
			mode: this.options.mode ?? 'webhook',
			http: {
				httpRequest: request as unknown as Request,
				httpResponse: response as unknown as Response,
			},
			logger: this.logger,
		});
		if (this.options.hosts) routeTestHosts(ctx, this.options.hosts);

		let result: IWebhookResponseData;
		try {
			result = await new WhatsAbleWebhooksTrigger().webhook.call(ctx);
		} catch (error) {
			// A crash is a 500, as n8n would answer; tests assert this never happens.
			res.writeHead(500).end(String((error as Error).message));
			this.answers.push({ status: 500, body: String((error as Error).message) });
			return;
		}
		if (result.workflowData && this.options.failExecutions) {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'the execution could not be started' }));
			this.answers.push({ status: 500, body: 'the execution could not be started' });
			return;
		}
		if (result.workflowData) {
			if (JSON.stringify(staticData) !== loaded) this.runWrites++;
			this.executions.push({ items: result.workflowData[0], response: result.webhookResponse });
			this.answers.push({ status: 200, body: result.webhookResponse });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.webhookResponse ?? {}));
			// n8n 2.41.1 (measured) drops static data written by a call that starts an execution.
			return;
		}
		this.saved = staticData;
		if (!answered) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.webhookResponse ?? {}));
		}
	}
}
