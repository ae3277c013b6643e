/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package: builds the editor's output schemas */
import path from 'node:path';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { z } from 'zod/v4';

import { RESOURCES } from '../../nodes/WhatsAbleWebhooks/actions/registry';
import type { Resource } from '../../nodes/WhatsAbleWebhooks/actions/resource';
import { conversationItemSchema } from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';

/*
 * The `__schema__` files n8n serves at /schemas/<node type>/<x.y.z>[/<resource>/<operation>].json
 * (n8n-core's resolveOutputSchemaPath: `<node folder>/__schema__/v<x.y.z>[/<resource>/<operation>].json`)
 * for the editor's schema preview and AI workflow tooling, generated from the zod item schemas.
 */

export type JsonSchema = {
	type?: string;
	format?: string;
	enum?: unknown[];
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
	required?: string[];
};

type RawJsonSchema = JsonSchema & {
	anyOf?: RawJsonSchema[];
	properties?: Record<string, RawJsonSchema>;
	items?: RawJsonSchema;
	const?: unknown;
};

/** Keeps what the preview reads (types, fields, formats, enums); a nullable field shows its type. */
function simplify(node: RawJsonSchema): JsonSchema {
	const branches = node.anyOf?.filter((b) => b.type !== 'null');
	if (branches?.length === 1) return simplify(branches[0]);
	const out: JsonSchema = {};
	if (node.type) out.type = node.type;
	if (node.format) out.format = node.format;
	if (node.enum) out.enum = node.enum;
	if (node.const !== undefined) out.enum = [node.const];
	if (node.properties) {
		out.properties = Object.fromEntries(
			Object.entries(node.properties).map(([k, v]) => [k, simplify(v)]),
		);
	}
	if (node.items) out.items = simplify(node.items);
	if (node.required?.length) out.required = node.required;
	return out;
}

export function previewSchemaOf(schema: z.ZodType): JsonSchema {
	return simplify(
		z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as RawJsonSchema,
	);
}

/** "1.1" → "1.1.0", the folder name n8n looks up. */
function versionFolder(version: number): string {
	return `v${String(version).split('.').concat(['0', '0']).slice(0, 3).join('.')}`;
}

function versionsOf(version: number | number[]): number[] {
	return Array.isArray(version) ? version : [version];
}

const root = path.resolve(__dirname, '../..');

/**
 * A built node's description (the build writes schemas after tsc; `.node` imports from source
 * would resolve to the codex `.node.json` under tsx).
 */
function builtDescription(file: string, exportName: string): INodeTypeDescription {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(path.join(root, file)) as Record<string, new () => INodeType>;
	return new module[exportName]().description;
}

export type SchemaFile = { file: string; schema: JsonSchema };

/** The action node's: one per version, resource and operation, from the resources' own list. */
export function actionSchemaFiles(resources: readonly Resource[], versions: number[]): SchemaFile[] {
	return versions.flatMap((version) =>
		resources.flatMap((resource) =>
			resource.operations.map((operation) => ({
				file: path.join(
					'dist/nodes/WhatsAbleWebhooks/__schema__',
					versionFolder(version),
					resource.value,
					`${operation.option.value}.json`,
				),
				schema: previewSchemaOf(operation.output),
			})),
		),
	);
}

/** Every schema file, its path relative to the repository root (inside dist/). */
export function outputSchemaFiles(): SchemaFile[] {
	const files: SchemaFile[] = [];
	const trigger = builtDescription(
		'dist/nodes/WhatsAbleWebhooksTrigger/WhatsAbleWebhooksTrigger.node.js',
		'WhatsAbleWebhooksTrigger',
	);
	// The trigger has no resource/operation, so n8n asks for one file per version: the item of
	// the default Output mode, Message (History items and raw bodies have no such lookup key).
	for (const version of versionsOf(trigger.version)) {
		files.push({
			file: path.join(
				'dist/nodes/WhatsAbleWebhooksTrigger/__schema__',
				`${versionFolder(version)}.json`,
			),
			schema: previewSchemaOf(conversationItemSchema),
		});
	}
	const action = builtDescription(
		'dist/nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node.js',
		'WhatsAbleWebhooks',
	);
	files.push(...actionSchemaFiles(RESOURCES, versionsOf(action.version)));
	return files;
}
