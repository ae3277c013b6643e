/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package: reads the built __schema__ files */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod/v4';

import { RESOURCES } from '../../nodes/WhatsAbleWebhooks/actions/registry';
import { toOutput, toOutputWithSecret } from '../../nodes/WhatsAbleWebhooks/actions/webhook/fields';
import {
	webhookWithSecretOutputSchema,
	webhookOutputSchema,
} from '../../nodes/WhatsAbleWebhooks/actions/webhook/output';
import { conversationItemSchema } from '../../nodes/WhatsAbleWebhooksTrigger/payload/output';
import { parseWebhookRecord } from '../../nodes/WhatsAbleWebhooks/actions/webhook/record';
import { outputSchemaFiles, type JsonSchema } from '../../scripts/schemas/outputSchemas';
import { makeExecuteContext } from '../support/n8nContext';

/* The schemas the editor previews (built into dist by `npm run build`) against the zod models. */
const root = path.resolve(__dirname, '../..');
const shipped = (file: string) =>
	JSON.parse(readFileSync(path.join(root, file), 'utf8')) as JsonSchema;

/** The JSON type a zod leaf shows as, read from zod's own definition, independent of the build. */
const JSON_TYPE: Record<string, string | undefined> = {
	string: 'string',
	number: 'number',
	boolean: 'boolean',
	enum: 'string',
	literal: 'boolean',
	record: 'object',
	unknown: undefined,
};

/** Walks a zod schema and its JSON schema together; returns every disagreement as a path. */
function disagreements(model: z.ZodType, json: JsonSchema, at = '$'): string[] {
	const def = model.def as { type: string; innerType?: z.ZodType; element?: z.ZodType };
	if (def.type === 'optional' || def.type === 'nullable') {
		return disagreements(def.innerType as z.ZodType, json, at);
	}
	if (def.type === 'object') {
		const shape = (model as unknown as { shape: Record<string, z.ZodType> }).shape;
		const keys = Object.keys(shape).sort();
		const jsonKeys = Object.keys(json.properties ?? {}).sort();
		if (json.type !== 'object' || keys.join() !== jsonKeys.join()) {
			return [`${at}: fields ${keys.join(',')} vs ${json.type}:${jsonKeys.join(',')}`];
		}
		return keys.flatMap((k) => disagreements(shape[k], json.properties![k], `${at}.${k}`));
	}
	if (def.type === 'array') {
		if (json.type !== 'array' || !json.items) return [`${at}: array vs ${json.type}`];
		return disagreements(def.element as z.ZodType, json.items, `${at}[]`);
	}
	const expected = JSON_TYPE[def.type];
	const actual = json.type === 'integer' ? 'number' : json.type;
	return expected === actual ? [] : [`${at}: ${def.type} vs ${String(json.type)}`];
}

describe('output schemas for the editor', () => {
	const files = outputSchemaFiles();

	test('are built into dist where n8n looks them up, and nothing else is there', () => {
		for (const { file, schema } of files) {
			expect(existsSync(path.join(root, file))).toBe(true);
			expect(shipped(file)).toEqual(schema);
		}
		const listed = (dir: string): string[] =>
			readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
				e.isDirectory() ? listed(path.join(dir, e.name)) : [path.join(dir, e.name)],
			);
		const onDisk = [
			...listed('dist/nodes/WhatsAbleWebhooks/__schema__'),
			...listed('dist/nodes/WhatsAbleWebhooksTrigger/__schema__'),
		].sort();
		expect(onDisk).toEqual(files.map((f) => f.file).sort());
	});

	test('the trigger has one per version (the Message item), each preview-worthy', () => {
		for (const version of ['v1.0.0', 'v1.1.0']) {
			const schema = shipped(`dist/nodes/WhatsAbleWebhooksTrigger/__schema__/${version}.json`);
			// The editor refuses a schema without type and properties.
			expect(schema.type).toBe('object');
			expect(disagreements(conversationItemSchema, schema)).toEqual([]);
			expect(schema.properties?.message?.properties?.text?.type).toBe('string');
			expect(schema.properties?.contact?.properties?.phone?.type).toBe('string');
		}
	});

	test('every action operation has one, agreeing with its zod model', () => {
		for (const resource of RESOURCES) {
			for (const { option, output } of resource.operations) {
				const schema = shipped(
					`dist/nodes/WhatsAbleWebhooks/__schema__/v1.0.0/${resource.value}/${option.value}.json`,
				);
				expect(disagreements(output, schema)).toEqual([]);
			}
		}
	});

	test('the walk notices a field the JSON lacks or types differently', () => {
		const schema = shipped('dist/nodes/WhatsAbleWebhooks/__schema__/v1.0.0/webhook/get.json');
		const withoutUrl = Object.fromEntries(
			Object.entries(schema.properties!).filter(([key]) => key !== 'url'),
		);
		expect(disagreements(webhookOutputSchema, { ...schema, properties: withoutUrl })).toHaveLength(
			1,
		);
		const retyped = { ...schema.properties!, enabled: { type: 'string' } };
		expect(disagreements(webhookOutputSchema, { ...schema, properties: retyped })).toEqual([
			'$.enabled: boolean vs string',
		]);
	});

	test('the zod models describe what the operations really output', () => {
		const record = parseWebhookRecord({
			id: '7',
			created_at: 1764633600000,
			webhooks: 'https://n8n.example/webhook/x',
			status: 'true',
			incoming: 1,
			signature_secret: 'shown-once',
			user_id: 42,
		});
		expect(record).not.toBeNull();
		expect(webhookOutputSchema.strict().safeParse(toOutput(record!)).success).toBe(true);
		const ctx = makeExecuteContext({
			credentials: { apiToken: 'unused', baseUrl: 'http://127.0.0.1:9' },
			parameters: [{ returnSigningSecret: true }],
		});
		const withSecret = toOutputWithSecret(ctx, record!, 0);
		expect(webhookWithSecretOutputSchema.strict().safeParse(withSecret).success).toBe(true);
		expect(withSecret.signatureSecret).toBe('shown-once');
	});
});
