/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * A real HTTP endpoint that hands each request to the trigger's `webhook()` the way n8n does:
 * raw body kept, `getResponseObject()` for direct answers, `{ workflowData }` meaning "start an
 * execution" (recorded here instead). Lets the sandbox deliver to the trigger over real HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	IBinaryData,
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { CapturingLogger, makeNode, readParameter, type TestCredentials } from './n8nContext';

export interface Execution {
	items: INodeExecutionData[];
	response: unknown;
}

export interface TriggerEndpointOptions {
	credentials: TestCredentials;
	parameters: Record<string, unknown>;
	staticData: IDataObject;
	mode?: 'webhook' | 'manual';
	/** Path of the URL, like n8n's /webhook/<id>/webhook. */
	path?: string;
	/**
	 * Also save static data written by a call that starts an execution (n8n 2.41.1 never does,
	 * in regular or queue mode: measured); for the trigger's behaviour should a version do it.
	 */
	savesRunStaticData?: boolean;
}

export class TriggerEndpoint {
	readonly executions: Execution[] = [];
	readonly answers: Array<{ status: number; body: unknown }> = [];
	readonly logger = new CapturingLogger();
	/** Static data as n8n would have saved it: only from calls that started no execution. */
	saved: IDataObject;
	private server!: http.Server;
	url = '';

	constructor(private readonly options: TriggerEndpointOptions) {
		this.saved = structuredClone(options.staticData);
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
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** Each request gets static data as loaded from the database, like n8n 2.41.1 does. */
	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const staticData: IDataObject = structuredClone(this.saved);
		let status = 200;
		let answered = false;
		const response = {
			status(code: number) {
				status = code;
				return response;
			},
			json: (body: unknown) => {
				answered = true;
				this.answers.push({ status, body });
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			},
		};
		const node = makeNode({ id: 'trigger-1', name: 'WhatsAble Trigger' });
		const ctx = {
			getNode: () => node,
			getWorkflow: () => ({ id: 'wf-1', name: 'Test', active: true }),
			getMode: () => this.options.mode ?? 'webhook',
			getWebhookName: () => 'default',
			getNodeWebhookUrl: () => this.url,
			getCredentials: async () => ({ ...this.options.credentials }) as IDataObject,
			getNodeParameter: (name: string, fallback?: unknown) =>
				readParameter(this.options.parameters, name, fallback),
			getWorkflowStaticData: () => {
				if (!staticData['node:WhatsAble Trigger']) staticData['node:WhatsAble Trigger'] = {};
				return staticData['node:WhatsAble Trigger'] as IDataObject;
			},
			getRequestObject: () => ({ method: req.method, headers: req.headers, rawBody }),
			getResponseObject: () => response,
			logger: this.logger.logger,
			helpers: {
				httpRequest: async (opts: {
					url: string;
					method?: string;
					headers?: Record<string, string>;
					body?: unknown;
					encoding?: string;
					returnFullResponse?: boolean;
				}) => {
					const r = await fetch(opts.url, {
						method: opts.method ?? 'GET',
						headers: { 'content-type': 'application/json', ...opts.headers },
						body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
					});
					const buffer = Buffer.from(await r.arrayBuffer());
					const headers: Record<string, string> = {};
					r.headers.forEach((v, k) => (headers[k] = v));
					const body = opts.encoding === 'arraybuffer' ? buffer : buffer.toString('utf8');
					return opts.returnFullResponse ? { body, headers, statusCode: r.status } : body;
				},
				prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) =>
					({
						data: data.toString('base64'),
						fileName,
						mimeType: mimeType ?? 'application/octet-stream',
						fileSize: String(data.length),
					}) as IBinaryData,
			},
		} as unknown as IWebhookFunctions;

		let result: IWebhookResponseData;
		try {
			result = await new WhatsAbleWebhooksTrigger().webhook.call(ctx);
		} catch (error) {
			// A crash is a 500, as n8n would answer; tests assert this never happens.
			res.writeHead(500).end(String((error as Error).message));
			this.answers.push({ status: 500, body: String((error as Error).message) });
			return;
		}
		if (result.workflowData) {
			this.executions.push({ items: result.workflowData[0], response: result.webhookResponse });
			this.answers.push({ status: 200, body: result.webhookResponse });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.webhookResponse ?? {}));
			// n8n 2.41.1 drops static data written by a call that starts an execution.
			if (this.options.savesRunStaticData) this.saved = staticData;
			return;
		}
		this.saved = staticData;
		if (!answered) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.webhookResponse ?? {}));
		}
	}
}
