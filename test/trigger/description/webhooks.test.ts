/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * The trigger's response fields resolve without n8n's expression engine, and the template the
 * editor (and older n8n) evaluates gives exactly what the native resolver gives.
 * The shipped build is checked, since the template is the compiled function's source.
 */
import * as path from 'node:path';

import {
	Workflow,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWebhookDescription,
} from 'n8n-workflow';

import { TRIGGER_TYPE } from '../../../scripts/n8n/nodeTypes';

const DIST = path.join(__dirname, '..', '..', '..', 'dist', 'nodes', 'WhatsAbleWebhooksTrigger');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the shipped build, not the source
const { WhatsAbleWebhooksTrigger } = require(
	path.join(DIST, 'WhatsAbleWebhooksTrigger.node.js'),
) as {
	WhatsAbleWebhooksTrigger: new () => INodeType;
};

const nodeType = new WhatsAbleWebhooksTrigger();
const description = nodeType.description.webhooks?.[0] as IWebhookDescription;
const nodeTypes: INodeTypes = {
	getByName: () => nodeType,
	getByNameAndVersion: () => nodeType,
	getKnownTypes: () => ({}),
};

function workflowWith(parameters: INode['parameters']): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'trigger-1',
		name: 'WhatsAble Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: true, nodeTypes });
	// The Workflow applies parameter defaults; resolvers are given the workflow's own node.
	return { workflow, node: workflow.nodes[node.name] };
}

const FIELDS = ['responseMode', 'responseData'] as const;
const CASES: Array<[string, INode['parameters'], string, string]> = [
	['defaults', {}, 'onReceived', ''],
	['Immediately', { respond: 'immediately' }, 'onReceived', ''],
	['When Last Node Finishes', { respond: 'lastNode' }, 'lastNode', 'firstEntryJson'],
	["Using 'Respond to Webhook' Node", { respond: 'responseNode' }, 'responseNode', ''],
];

describe('trigger webhook description', () => {
	it('is natively resolvable, so n8n needs no expression engine for it', () => {
		expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
	});

	it.each(CASES)(
		'respond %s: native value, engine value and expected value agree',
		(_, parameters, mode, data) => {
			const { workflow, node } = workflowWith(parameters);
			const expected = { responseMode: mode, responseData: data };
			for (const field of FIELDS) {
				const native = resolveWebhookDescriptionField(node, description, field);
				expect(native).toEqual({ resolved: true, value: expected[field] });
				const template = description[field];
				expect(typeof template === 'string' && template.startsWith('={{')).toBe(true);
				const viaEngine = workflow.expression.getSimpleParameterValue(
					node,
					template as string,
					'internal',
					{},
				);
				expect(viaEngine).toBe(expected[field]);
			}
		},
	);

	it('falls back to the engine when the user wrote an expression in a parameter', () => {
		const { node } = workflowWith({ respond: '={{ "lastNode" }}' });
		expect(resolveWebhookDescriptionField(node, description, 'responseMode')).toEqual({
			resolved: false,
		});
	});
});
