/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * n8n's REAL execution contexts for integration tests: n8n-core's `ExecuteContext`, `HookContext`
 * and `WebhookContext` around an n8n-workflow `Workflow` holding our nodes. Parameters, static
 * data, webhook URLs, credentials and HTTP requests (axios, with the credential's generic auth
 * applied as n8n's CredentialsHelper does) all go through n8n's own code. What n8n's server would
 * provide from its database and configuration (decrypted credentials, base URLs, the Express
 * request and response) is given here. The whole server is exercised by the e2e suite.
 */
import { createRequire } from 'node:module';

import { ExecuteContext, HookContext, WebhookContext } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IWebhookData,
	type IWebhookFunctions,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { WhatsAbleWebhooksApi } from '../../credentials/WhatsAbleWebhooksApi.credentials';
import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleWebhooksTrigger } from '../../nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node';
import { CREDENTIAL_TYPE } from '../../nodes/shared/api';
import { SESSION_FIELD } from '../../nodes/shared/session';
import { ACTION_TYPE, ACTION_VERSION, TRIGGER_TYPE, TRIGGER_VERSION } from '../../scripts/n8n/nodeTypes';

// n8n-core brings its own @n8n/di and logger; the contexts read the logger from THAT container.
const coreRequire = createRequire(require.resolve('n8n-core'));
const { Container } = coreRequire('@n8n/di') as typeof import('@n8n/di');
const { Logger } = coreRequire('@n8n/backend-common') as typeof import('@n8n/backend-common');
type Logger = InstanceType<typeof Logger>;

export interface TestCredentials {
	authentication?: 'emailPassword' | 'sessionToken';
	apiToken?: string;
	email?: string;
	password?: string;
	baseUrl: string;
	consoleOrigin?: string;
	signatureSecret?: string;
	/** Hidden fields n8n fills from the credential's preAuthentication. */
	session?: string;
	sealingKey?: string;
}

/** The credential that points at a sandbox, as a user would fill it in. */
export function sandboxCredentials(
	sandbox: { token: string; baseUrl: string; origin: string | null },
	overrides: Partial<TestCredentials> = {},
): TestCredentials {
	return {
		apiToken: sandbox.token,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
		...overrides,
	};
}

/** The credential that logs in to a sandbox with its account's email and password. */
export function sandboxLogin(
	sandbox: { email: string; password: string; baseUrl: string; origin: string | null },
	overrides: Partial<TestCredentials> = {},
): TestCredentials {
	return {
		authentication: 'emailPassword',
		email: sandbox.email,
		password: sandbox.password,
		baseUrl: sandbox.baseUrl,
		consoleOrigin: sandbox.origin ?? '',
		...overrides,
	};
}

/** A request as n8n sends it, after the credential's auth was applied. */
export interface HttpCall {
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

export const TRIGGER_NAME = 'WhatsAble Trigger';

/** Log lines n8n's contexts wrote, to prove no secret ever lands in a log. */
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

	/** n8n's contexts take their logger from the DI container on each use. */
	install(): this {
		Container.set(Logger, this.logger);
		return this;
	}
}

const nodeTypeInstances: Record<string, INodeType> = {
	[ACTION_TYPE]: new WhatsAbleWebhooks(),
	[TRIGGER_TYPE]: new WhatsAbleWebhooksTrigger(),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeInstances[type],
	getByNameAndVersion: (type) => nodeTypeInstances[type],
	getKnownTypes: () => ({}),
};

const credentialType = new WhatsAbleWebhooksApi();

/**
 * A credential as n8n's database keeps it: what preAuthentication returns is saved into it, so a
 * renewed session or a new sealing key is what the next context reads (as in n8n).
 */
export class CredentialStore {
	/** How often n8n called the credential's preAuthentication, and why. */
	readonly preAuthentications: Array<'empty' | 'expired' | 'test'> = [];

	constructor(public data: TestCredentials) {}

	/** What n8n hands a node: stored values over the properties' defaults. */
	decrypted(): ICredentialDataDecryptedObject {
		const defaults = Object.fromEntries(
			credentialType.properties.map((p) => [p.name, p.default as string]),
		);
		return { ...defaults, ...this.data } as unknown as ICredentialDataDecryptedObject;
	}
}

/**
 * What n8n's CredentialsHelper does for this package (read in n8n's source, 2.4x): hands out the
 * decrypted credential, calls preAuthentication when the expirable field is empty or after a
 * 401 and saves its result, and applies the credential's `authenticate`.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly store: CredentialStore,
		private readonly calls: HttpCall[],
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		options: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== CREDENTIAL_TYPE) throw new Error(`unexpected credential type ${typeName}`);
		const request = await credentialType.authenticate(credentials, {
			...(options as IHttpRequestOptions),
		});
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(request.headers ?? {})) {
			if (value !== undefined && value !== null) headers[key] = String(value);
		}
		this.calls.push({
			method: request.method ?? 'GET',
			url: `${request.baseURL ?? ''}${request.url}`,
			headers,
			body: request.body,
		});
		return { ...request, headers };
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (typeName !== CREDENTIAL_TYPE || !credentialType.preAuthentication) return undefined;
		if (credentials[SESSION_FIELD] !== '' && !credentialsExpired) return undefined;
		this.store.preAuthentications.push(credentialsExpired ? 'expired' : 'empty');
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[SESSION_FIELD] === undefined) return undefined;
		this.store.data = { ...this.store.data, ...(output as Partial<TestCredentials>) };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('only decrypted credentials are used in tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return this.store.decrypted();
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

/** Where n8n serves webhooks; the tests' URLs name the base, the webhook id and the path. */
export interface WebhookAddress {
	baseUrl: string;
	webhookId: string;
}

/** Splits `<base>/<webhookId>/webhook`, the shape n8n gives the trigger's URL. */
export function webhookAddress(url: string): WebhookAddress {
	const match = /^(.*)\/([^/]+)\/webhook$/.exec(url);
	if (!match) throw new Error(`not an n8n webhook URL: ${url}`);
	return { baseUrl: match[1], webhookId: match[2] };
}

interface AdditionalDataOptions {
	credentials: CredentialStore;
	calls?: HttpCall[];
	webhook?: WebhookAddress;
	http?: Pick<IWorkflowExecuteAdditionalData, 'httpRequest' | 'httpResponse'>;
}

function additionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const webhookBase = options.webhook?.baseUrl ?? 'http://127.0.0.1:5678/webhook';
	return {
		credentialsHelper: new TestCredentialsHelper(options.credentials, options.calls ?? []),
		variables: {},
		currentNodeExecutionIndex: 0,
		instanceBaseUrl: 'http://127.0.0.1:5678',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		webhookBaseUrl: webhookBase,
		webhookTestBaseUrl: webhookBase,
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		...options.http,
		// Sub-workflows, AI events and the like are server features these nodes never call.
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Contexts share a credential the way n8n's database does when given the same CredentialStore; a
 * plain object is a credential of its own, saved with the values given.
 */
export type CredentialsInput = TestCredentials | CredentialStore;

function storeOf(input: CredentialsInput): CredentialStore {
	return input instanceof CredentialStore ? input : new CredentialStore(input);
}

function workflowOf(node: INode, staticData: IDataObject = {}): Workflow {
	return new Workflow({
		id: 'wf-1',
		name: 'Test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData,
	});
}

const CREDENTIAL_REF = { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'WhatsAble Webhooks account' } };

function useLogger(logger?: CapturingLogger): void {
	(logger ?? new CapturingLogger()).install();
}

export interface ExecuteContextOptions {
	credentials: CredentialsInput;
	/**
	 * One parameter object per item. Values that differ between items become expressions over
	 * the item (`={{ $json.<name> }}`), which is how a workflow feeds per-item values to n8n.
	 */
	parameters: Array<Record<string, unknown>>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	calls?: HttpCall[];
	logger?: CapturingLogger;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The node's parameters for items whose values differ: equal values stay literal, collections
 * are merged field by field, and a field that differs becomes an expression reading the item's
 * own value (stored under `__parameters["<path>"]` in its json), as a workflow author would write.
 */
function perItemParameters(
	parameters: Array<Record<string, unknown>>,
	items: INodeExecutionData[],
): { node: INodeParameters; items: INodeExecutionData[] } {
	const perItem: IDataObject[] = items.map(() => ({}));
	const merge = (values: unknown[], path: string): unknown => {
		if (values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]))) return values[0];
		if (values.every((v) => v === undefined || isPlainObject(v))) {
			const keys = new Set(values.flatMap((v) => (isPlainObject(v) ? Object.keys(v) : [])));
			const merged: Record<string, unknown> = {};
			for (const key of keys) {
				const value = merge(
					values.map((v) => (isPlainObject(v) ? v[key] : undefined)),
					path ? `${path}.${key}` : key,
				);
				if (value !== undefined) merged[key] = value;
			}
			return merged;
		}
		values.forEach((v, i) => (perItem[i][path] = v as IDataObject[string]));
		return `={{ $json.__parameters[${JSON.stringify(path)}] }}`;
	};
	const node = merge(parameters, '') as INodeParameters;
	return {
		node,
		items: items.map((item, i) =>
			Object.keys(perItem[i]).length
				? { ...item, json: { ...item.json, __parameters: perItem[i] } }
				: item,
		),
	};
}

/** The action node as a workflow holds it. */
export function makeNode(partial: Partial<INode> = {}): INode {
	return {
		id: 'node-1',
		name: 'WhatsAble',
		type: ACTION_TYPE,
		typeVersion: ACTION_VERSION,
		position: [0, 0],
		parameters: {},
		credentials: CREDENTIAL_REF,
		...partial,
	};
}

export function makeExecuteContext(options: ExecuteContextOptions): IExecuteFunctions {
	useLogger(options.logger);
	const input = options.items ?? options.parameters.map(() => ({ json: {} }));
	const { node: parameters, items } = perItemParameters(options.parameters, input);
	const node = makeNode({
		parameters,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const data = { main: [items] };
	return new ExecuteContext(
		workflowOf(node),
		node,
		additionalData({ credentials: storeOf(options.credentials), calls: options.calls }),
		'manual',
		createRunExecutionData(),
		0,
		items,
		data,
		{ node, data, source: null },
		[],
	);
}

function triggerNode(parameters: Record<string, unknown>, webhookId: string): INode {
	return {
		id: 'trigger-1',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: TRIGGER_VERSION,
		position: [0, 0],
		parameters: parameters as INodeParameters,
		credentials: CREDENTIAL_REF,
		webhookId,
	};
}

/** The workflow's static data with the trigger's node part in it, as n8n keeps it. */
export function staticDataWithNode(nodeData: IDataObject): IDataObject {
	return { [`node:${TRIGGER_NAME}`]: nodeData };
}

export interface HookContextOptions {
	credentials: CredentialsInput;
	parameters: Record<string, unknown>;
	/** `<base>/<webhookId>/webhook`, what n8n hands the trigger. */
	webhookUrl: string;
	/** The node's static data; pass the same object again to model a restart with saved data. */
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
	logger?: CapturingLogger;
	calls?: HttpCall[];
}

export function makeHookContext(options: HookContextOptions): IHookFunctions {
	useLogger(options.logger);
	const address = webhookAddress(options.webhookUrl);
	const node = triggerNode(options.parameters, address.webhookId);
	const workflow = workflowOf(node, staticDataWithNode(options.staticData));
	const manual = options.mode === 'manual';
	const data = additionalData({
		credentials: storeOf(options.credentials),
		calls: options.calls,
		webhook: address,
	});
	const mode: WorkflowExecuteMode = manual ? 'manual' : 'trigger';
	return new HookContext(workflow, node, data, mode, manual ? 'manual' : 'activate', {
		isTest: manual,
	} as IWebhookData);
}

export interface WebhookContextOptions {
	credentials: CredentialsInput;
	parameters: Record<string, unknown>;
	webhookUrl: string;
	/** The workflow's static data as loaded for this request (see staticDataWithNode). */
	workflowStaticData: IDataObject;
	mode: 'webhook' | 'manual';
	http: Required<Pick<IWorkflowExecuteAdditionalData, 'httpRequest' | 'httpResponse'>>;
	logger?: CapturingLogger;
}

export function makeWebhookContext(options: WebhookContextOptions): IWebhookFunctions {
	useLogger(options.logger);
	const address = webhookAddress(options.webhookUrl);
	const node = triggerNode(options.parameters, address.webhookId);
	const workflow = workflowOf(node, options.workflowStaticData);
	const data = additionalData({
		credentials: storeOf(options.credentials),
		webhook: address,
		http: options.http,
	});
	const webhookDescription = nodeTypeInstances[TRIGGER_TYPE].description.webhooks![0];
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${address.webhookId}/webhook`,
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: data,
		webhookId: address.webhookId,
		isTest: options.mode === 'manual',
	};
	return new WebhookContext(workflow, node, data, options.mode, webhookData, [], null);
}
