/** Workflow JSON for the tests and the demo. */
import { randomUUID } from 'node:crypto';

import {
	ACTION_TYPE,
	ACTION_VERSION,
	CREDENTIAL_TYPE,
	TRIGGER_TYPE,
	TRIGGER_VERSION,
} from './nodeTypes';
import type { WorkflowJson, WorkflowNode } from './rest';

export interface CredentialRef {
	id: string;
	name: string;
}

export const TRIGGER_NODE = 'WhatsAble Trigger';
export const SINK_NODE = 'Send to sink';

/** A URL n8n gives a webhook node: `<WEBHOOK_URL><prefix>/<webhookId>/<path>`. */
function webhookNodeUrl(
	prefix: 'webhook' | 'webhook-test',
	base: string,
	id: string,
	path: string,
): string {
	return `${base.endsWith('/') ? base : `${base}/`}${prefix}/${id}/${path}`;
}

/** The production URL: `<WEBHOOK_URL>webhook/<webhookId>/<path>`. */
export function productionUrl(webhookBaseUrl: string, webhookId: string, path: string): string {
	return webhookNodeUrl('webhook', webhookBaseUrl, webhookId, path);
}

/** The URL of a test listen ("Listen for test event"): `<WEBHOOK_URL>webhook-test/<webhookId>/<path>`. */
export function testUrl(webhookBaseUrl: string, webhookId: string, path: string): string {
	return webhookNodeUrl('webhook-test', webhookBaseUrl, webhookId, path);
}

/** An HTTP Request node (v4.2) that POSTs each incoming item, as JSON, to `url`. */
export function sinkNode(
	url: string,
	name = SINK_NODE,
	position: [number, number] = [300, 0],
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

export function connect(...names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export interface TriggerWorkflow {
	json: WorkflowJson;
	webhookId: string;
	/** The trigger's production URL under `webhookBaseUrl`. */
	url: string;
}

/** WhatsAble Trigger → HTTP Request to the sink. */
export function triggerWorkflow(opts: {
	name: string;
	credential: CredentialRef;
	sinkUrl: string;
	webhookBaseUrl: string;
	parameters?: Record<string, unknown>;
	webhookId?: string;
	typeVersion?: number;
}): TriggerWorkflow {
	const webhookId = opts.webhookId ?? randomUUID();
	const trigger: WorkflowNode = {
		id: randomUUID(),
		name: TRIGGER_NODE,
		type: TRIGGER_TYPE,
		typeVersion: opts.typeVersion ?? TRIGGER_VERSION,
		position: [0, 0],
		webhookId,
		parameters: {
			events: ['incoming', 'outgoing'],
			ignoreAutomatedOutgoing: false,
			...opts.parameters,
		},
		credentials: { [CREDENTIAL_TYPE]: opts.credential },
	};
	return {
		webhookId,
		url: productionUrl(opts.webhookBaseUrl, webhookId, 'webhook'),
		json: {
			name: opts.name,
			nodes: [trigger, sinkNode(opts.sinkUrl)],
			connections: connect(TRIGGER_NODE, SINK_NODE),
			settings: { executionOrder: 'v1' },
		},
	};
}

/** n8n's own Webhook node → HTTP Request to the sink (checks the harness without our package). */
export function builtInWebhookWorkflow(opts: {
	name: string;
	sinkUrl: string;
	webhookBaseUrl: string;
	path?: string;
}): TriggerWorkflow {
	const webhookId = randomUUID();
	const path = opts.path ?? 'probe';
	return {
		webhookId,
		// The Webhook node's paths are full paths: no webhookId in its URL.
		url: `${opts.webhookBaseUrl.replace(/\/?$/, '/')}webhook/${path}`,
		json: {
			name: opts.name,
			nodes: [
				{
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2.1,
					position: [0, 0],
					webhookId,
					parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				},
				sinkNode(opts.sinkUrl),
			],
			connections: connect('Webhook', SINK_NODE),
			settings: { executionOrder: 'v1' },
		},
	};
}

/** One action-node step: a WhatsAble (webhook CRUD) node with these parameters. */
export function actionNode(
	name: string,
	credential: CredentialRef,
	parameters: Record<string, unknown>,
	position: [number, number],
): WorkflowNode {
	return {
		id: randomUUID(),
		name,
		type: ACTION_TYPE,
		typeVersion: ACTION_VERSION,
		position,
		parameters: { resource: 'webhook', ...parameters },
		credentials: { [CREDENTIAL_TYPE]: credential },
	};
}

/** Manual Trigger → the given nodes in a chain. */
export function manualChain(name: string, nodes: WorkflowNode[]): WorkflowJson {
	const start: WorkflowNode = {
		id: randomUUID(),
		name: 'Manual Trigger',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [-300, 0],
		parameters: {},
	};
	return {
		name,
		nodes: [start, ...nodes],
		connections: connect(start.name, ...nodes.map((n) => n.name)),
		settings: { executionOrder: 'v1' },
	};
}
