/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- evaluates the subtitle expression as the editor does */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';

import { itemFor, type Operation } from '../../nodes/WhatsAbleWebhooks/actions/operation';
import { RESOURCES } from '../../nodes/WhatsAbleWebhooks/actions/registry';
import {
	resourceProperties,
	resourceSubtitle,
	type Resource,
} from '../../nodes/WhatsAbleWebhooks/actions/resource';
import { routerFor } from '../../nodes/WhatsAbleWebhooks/actions/router';
import { actionSchemaFiles } from '../../scripts/schemas/outputSchemas';
import { makeNode } from '../support/n8nContext';

/*
 * Adding a resource is one folder and one registry line: a resource written here as its folder's
 * index.ts would write it, added to the shipped list, reaches every place the node reads resources
 * from, and changes nothing for the others.
 */

const getNote: Operation = {
	option: { name: 'Get', value: 'get', action: 'Get a note', description: 'Fetch one note' },
	properties: [
		{
			displayName: 'Note ID',
			name: 'noteId',
			type: 'string',
			default: '',
			description: 'The note to fetch',
		},
	],
	execute: async function (itemIndex) {
		return [itemFor({ id: String(this.getNodeParameter('noteId', itemIndex)) }, itemIndex)];
	},
	output: z.object({ id: z.string() }),
};

const note: Resource = {
	value: 'note',
	name: 'Note',
	subject: 'the notes kept on a contact',
	operationDescription: 'What to do with the notes',
	startsOn: { editor: 'get', tool: 'get' },
	operations: [getNote],
};

const registry = [...RESOURCES, note];
const properties = resourceProperties(registry);
const forNote = (p: INodeProperties) => p.displayOptions?.show?.resource?.includes('note') ?? false;

function evaluateSubtitle(expression: string, parameters: Record<string, unknown>): string {
	const code = expression.replace(/^=\{\{([\s\S]*)\}\}$/, '$1');
	return String(new Function('$parameter', `return (${code});`)(parameters));
}

describe('the shipped resources', () => {
	test.each(RESOURCES.map((r) => [r.value, r] as const))(
		'%s: no two operations share a value; both Operation parameters start on one of them',
		(_value, resource) => {
			const values = resource.operations.map((o) => o.option.value);
			expect(new Set(values).size).toBe(values.length);
			expect(values).toEqual(
				expect.arrayContaining([resource.startsOn.editor, resource.startsOn.tool]),
			);
		},
	);
	test('no two share a value', () => {
		const values = RESOURCES.map((r) => r.value);
		expect(new Set(values).size).toBe(values.length);
	});
});

describe('a resource added to the registry', () => {
	test('is an option of the Resource parameter; the first listed stays the default', () => {
		const resource = properties.find((p) => p.name === 'resource');
		expect(resource?.options).toEqual([
			{ name: 'Note', value: 'note' },
			{ name: 'Webhook', value: 'webhook' },
		]);
		expect(resource?.default).toBe('webhook');
		expect(resource?.description).toContain('the notes kept on a contact');
	});

	test('has its Operation parameter and its operations’ parameters, shown for it alone', () => {
		const operations = properties.filter((p) => p.name === 'operation' && forNote(p));
		expect(operations.map((p) => [p.default, p.options])).toEqual([
			['get', [getNote.option]],
			['get', [getNote.option]],
		]);
		expect(properties.find((p) => p.name === 'noteId')?.displayOptions?.show).toEqual({
			resource: ['note'],
			operation: ['get'],
		});
		const others = properties.slice(1).filter((p) => !forNote(p));
		expect(others).toEqual(resourceProperties(RESOURCES).slice(1));
	});

	test('names its actions in the canvas subtitle, an operation value shared with another resource included', () => {
		const subtitle = resourceSubtitle(registry);
		expect(evaluateSubtitle(subtitle, { resource: 'note', operation: 'get' })).toBe('Get a note');
		expect(evaluateSubtitle(subtitle, { resource: 'webhook', operation: 'get' })).toBe(
			'Get a webhook',
		);
		expect(evaluateSubtitle(subtitle, { resource: 'webhook', operation: 'getAll' })).toBe(
			'Get many webhooks',
		);
	});

	test('gets one output schema per operation from the schema build', () => {
		const files = actionSchemaFiles(registry, [1]);
		expect(files).toContainEqual({
			file: 'dist/nodes/WhatsAbleWebhooks/__schema__/v1.0.0/note/get.json',
			schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
		});
		expect(files.filter((f) => !f.file.includes('/note/'))).toEqual(
			actionSchemaFiles(RESOURCES, [1]),
		);
	});

	test('is dispatched to by the router', async () => {
		// n8n-core's own context resolves parameters against the shipped node type, which does not
		// know this resource: a context with only what the router and the operation read.
		const parameters: Record<string, unknown> = {
			resource: 'note',
			operation: 'get',
			noteId: 'n-1',
		};
		const ctx: Pick<
			IExecuteFunctions,
			'getInputData' | 'getNodeParameter' | 'getNode' | 'continueOnFail'
		> = {
			getInputData: () => [{ json: {} }],
			getNodeParameter: ((name: string) =>
				parameters[name]) as IExecuteFunctions['getNodeParameter'],
			getNode: () => makeNode(),
			continueOnFail: () => false,
		};
		expect(await routerFor(registry).call(ctx as IExecuteFunctions)).toEqual([
			[{ json: { id: 'n-1' }, pairedItem: { item: 0 } }],
		]);
	});
});
