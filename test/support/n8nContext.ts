/**
 * Minimal n8n execution contexts for tests that do REAL HTTP: `httpRequestWithAuthentication`
 * applies the credential's bearer auth and follows n8n's options (json, returnFullResponse,
 * ignoreHttpStatusErrors, timeout), so the transport is exercised against a real server.
 * Real n8n itself is exercised by the e2e suite.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
	Logger,
} from 'n8n-workflow';

export interface TestCredentials {
	apiToken: string;
	baseUrl: string;
	consoleOrigin?: string;
	signatureSecret?: string;
}

export interface HttpCall {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

/** Log lines a context wrote, to prove no secret ever lands in a log. */
export class CapturingLogger {
	readonly lines: string[] = [];

	private write = (level: string) => (message: string, meta?: object) => {
		this.lines.push(`${level} ${message} ${meta ? JSON.stringify(meta) : ''}`);
	};

	readonly logger = {
		error: this.write('error'),
		warn: this.write('warn'),
		info: this.write('info'),
		debug: this.write('debug'),
		verbose: this.write('verbose'),
		scoped: () => this.logger,
	} as unknown as Logger;
}

class HttpError extends Error {
	constructor(
		message: string,
		readonly httpCode: string,
		readonly code?: string,
	) {
		super(message);
	}
}

export function makeHttpHelper(credentials: () => TestCredentials, calls: HttpCall[] = []) {
	return async function httpRequestWithAuthentication(
		_type: string,
		options: IHttpRequestOptions,
	): Promise<unknown> {
		const creds = credentials();
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(options.headers ?? {})) {
			if (v !== undefined && v !== null) headers[k] = String(v);
		}
		headers.Authorization = `Bearer ${creds.apiToken}`;
		let body: string | undefined;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
		}
		const url = `${options.baseURL ?? ''}${options.url}`;
		calls.push({ method: options.method ?? 'GET', url, headers, body: options.body });
		let response: Response;
		try {
			response = await fetch(url, {
				method: options.method ?? 'GET',
				headers,
				body,
				signal: AbortSignal.timeout(options.timeout ?? 30_000),
			});
		} catch (error) {
			// Like axios: the cause's code (ECONNREFUSED, ...) on the error, no headers.
			const cause = (error as { cause?: { code?: string }; name?: string }).cause;
			const code =
				cause?.code ?? ((error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : 'ECONNRESET');
			throw Object.assign(new Error(`request failed: ${code}`), { code });
		}
		const text = await response.text();
		let parsed: unknown = text;
		if (options.json !== false && text.length > 0) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		}
		const ignore = options.ignoreHttpStatusErrors === true;
		if (!ignore && response.status >= 400) {
			throw new HttpError(
				`Request failed with status code ${response.status}`,
				String(response.status),
			);
		}
		if (options.returnFullResponse) {
			const responseHeaders: Record<string, string> = {};
			response.headers.forEach((v, k) => (responseHeaders[k] = v));
			return {
				body: parsed,
				headers: responseHeaders,
				statusCode: response.status,
				statusMessage: response.statusText,
			};
		}
		return parsed;
	};
}

/** Reads 'a.b.c' from a parameter object, like getNodeParameter does for collections. */
export function readParameter(
	params: Record<string, unknown>,
	name: string,
	fallback?: unknown,
): unknown {
	let value: unknown = params;
	for (const part of name.split('.')) {
		if (value && typeof value === 'object' && part in (value as object)) {
			value = (value as Record<string, unknown>)[part];
		} else {
			return fallback;
		}
	}
	return value === undefined ? fallback : value;
}

export function makeNode(partial: Partial<INode> = {}): INode {
	return {
		id: 'node-1',
		name: 'WhatsAble',
		type: 'n8n-nodes-whatsable-webhooks.whatsAbleWebhooks',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...partial,
	};
}

export interface ExecuteContextOptions {
	credentials: TestCredentials;
	/** One parameter object per item (expressions already resolved, as n8n does per item). */
	parameters: Array<Record<string, unknown>>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	node?: Partial<INode>;
	calls?: HttpCall[];
}

export function makeExecuteContext(options: ExecuteContextOptions): IExecuteFunctions {
	const node = makeNode(options.node);
	const items = options.items ?? options.parameters.map(() => ({ json: {} }));
	const log = new CapturingLogger();
	const context = {
		getNode: () => node,
		getInputData: () => items,
		getCredentials: async () => ({ ...options.credentials }) as IDataObject,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const params = options.parameters[itemIndex] ?? options.parameters[0] ?? {};
			const value = readParameter(params, name, fallback);
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			return value;
		},
		continueOnFail: () => options.continueOnFail === true,
		getMode: () => 'manual',
		logger: log.logger,
		helpers: {
			httpRequestWithAuthentication: makeHttpHelper(() => options.credentials, options.calls),
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				meta: { itemData: { item: number } },
			) => data.map((d) => ({ ...d, pairedItem: meta.itemData })),
		},
	};
	return context as unknown as IExecuteFunctions;
}

export type StaticData = IDataObject;

export interface HookContextOptions {
	credentials: TestCredentials;
	parameters: Record<string, unknown>;
	webhookUrl: string;
	/** The node's static data; pass the same object again to model a restart with saved data. */
	staticData: StaticData;
	mode?: 'trigger' | 'manual';
	node?: Partial<INode>;
	logger?: CapturingLogger;
	calls?: HttpCall[];
}

export function makeHookContext(options: HookContextOptions): IHookFunctions {
	const node = makeNode({
		name: 'WhatsAble Trigger',
		type: 'n8n-nodes-whatsable-webhooks.whatsAbleWebhooksTrigger',
		...options.node,
	});
	const log = options.logger ?? new CapturingLogger();
	const context = {
		getNode: () => node,
		getCredentials: async () => ({ ...options.credentials }) as IDataObject,
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = readParameter(options.parameters, name, fallback);
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			return value;
		},
		getNodeWebhookUrl: () => options.webhookUrl,
		getWebhookName: () => 'default',
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => (options.mode === 'manual' ? 'manual' : 'activate'),
		getWorkflowStaticData: () => options.staticData,
		getWorkflow: () => ({ id: 'wf-1', name: 'Test', active: true }),
		logger: log.logger,
		helpers: {
			httpRequestWithAuthentication: makeHttpHelper(() => options.credentials, options.calls),
		},
	};
	return context as unknown as IHookFunctions;
}

export type { IWebhookFunctions };
