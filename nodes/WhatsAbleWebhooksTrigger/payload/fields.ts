import { z } from 'zod/v4';

import { asBoolean, asLabels, asString, asTime, isRecord } from './coerce';

/**
 * One wire field: its lenient zod schema (the definition, documented and exported) and a reader
 * that returns exactly what the schema outputs. A leaf schema is `base.nullish().catch(coerce)`,
 * so for a value `base` refuses its output IS `coerce(value)`: the reader runs that directly and
 * hands every other value back as it is. zod's per-node cost and its issue objects on the catch
 * path made a 20-message history as slow to validate as JSON.parse was to parse it. Tests check
 * that readers and schemas agree on arbitrary input.
 */
export interface Field<S extends z.ZodType = z.ZodType> {
	readonly schema: S;
	read(value: unknown): z.output<S>;
}

const isNil = (v: unknown): v is null | undefined => v === undefined || v === null;

/** `accepts` must be exactly what `base.nullish()` accepts. */
function leaf<B extends z.ZodType>(
	base: B,
	accepts: (value: unknown) => boolean,
	coerce: (value: unknown) => z.output<B> | undefined,
) {
	const schema = base.nullish().catch((ctx) => coerce(ctx.value));
	return {
		schema,
		read: (value: unknown): z.output<typeof schema> =>
			isNil(value) || accepts(value) ? (value as z.output<B>) : coerce(value),
	};
}

const isString = (v: unknown): boolean => typeof v === 'string';

/** Text; a number becomes its decimal text, anything else absent. null means "none". */
export const text = leaf(z.string(), isString, asString);

/** A boolean; "true"/"false" and 1/0 are read as one. */
export const flag = leaf(z.boolean(), (v) => typeof v === 'boolean', asBoolean);

/** Unix seconds (number or numeric string) or a date string. */
export const time = leaf(
	z.union([z.number(), z.string()]),
	(v) => isString(v) || (typeof v === 'number' && Number.isFinite(v)),
	asTime,
);

/** One comma-separated string, or an array of labels. */
export const labels = leaf(
	z.union([z.string(), z.array(z.string())]),
	(v) => isString(v) || (Array.isArray(v) && v.every(isString)),
	asLabels,
);

/** Meta sends `{ text }`; Notifyer's form is undocumented, so plain text is accepted too. */
export const textOrTextObject = leaf(z.string(), isString, (v) =>
	isRecord(v) ? asString(v.text) : asString(v),
);

export const whatsappBusinessAccount = leaf(
	z.literal('whatsapp_business_account'),
	(v) => v === 'whatsapp_business_account',
	() => undefined,
);

export type Fields = Record<string, Field>;
export type ShapeOf<F extends Fields> = { -readonly [K in keyof F]: F[K]['schema'] };
export type Loose<F extends Fields> = z.ZodObject<ShapeOf<F>, z.core.$loose>;
export type Output<F extends Fields> = z.output<Loose<F>>;

function shapeOf<F extends Fields>(fields: F): ShapeOf<F> {
	const shape: Record<string, z.ZodType> = {};
	for (const key of Object.keys(fields)) shape[key] = fields[key].schema;
	return shape as ShapeOf<F>;
}

/** The fields' names and readers as parallel arrays, built once: the hot loop indexes them. */
interface Plan {
	keys: string[];
	reads: Array<(value: unknown) => unknown>;
}

function planOf(fields: Fields): Plan {
	const keys = Object.keys(fields);
	return { keys, reads: keys.map((key) => fields[key].read) };
}

/** Reads the known fields of a record; copies it (unknown fields kept) only if one changed. */
function readFields<F extends Fields>(plan: Plan, value: Record<string, unknown>): Output<F> {
	const { keys, reads } = plan;
	let out = value;
	for (let i = 0; i < keys.length; i++) {
		const raw = value[keys[i]];
		const read = reads[i](raw);
		if (read !== raw) {
			// Spread defines own properties, so even an own "__proto__" key stays inert data.
			if (out === value) out = { ...value };
			out[keys[i]] = read;
		}
	}
	return out as Output<F>;
}

export interface RecordReader<F extends Fields> {
	readonly fields: F;
	readonly schema: Loose<F>;
	read(value: Record<string, unknown>): Output<F>;
}

/** A top-level object whose fields are all optional; unknown fields are kept. */
export function record<F extends Fields>(fields: F): RecordReader<F> {
	const plan = planOf(fields);
	return {
		fields,
		schema: z.looseObject(shapeOf(fields)),
		read: (value) => readFields<F>(plan, value),
	};
}

/** A nested object; anything that is not an object reads as absent. */
export function object<F extends Fields>(fields: F) {
	const plan = planOf(fields);
	const schema = z.looseObject(shapeOf(fields)).nullish().catch(undefined);
	return {
		fields,
		schema,
		read(value: unknown): z.output<typeof schema> {
			if (isNil(value)) return value;
			return isRecord(value) ? readFields<F>(plan, value) : undefined;
		},
	};
}

/** A nested object that is always there: anything else reads as `{}`. */
export function objectOrEmpty<F extends Fields>(fields: F) {
	const plan = planOf(fields);
	// Every field is optional, so an empty object is a valid output.
	const empty = (): Output<F> => ({}) as Output<F>;
	const schema = z.looseObject(shapeOf(fields)).catch(empty);
	return {
		fields,
		schema,
		read(value: unknown): z.output<typeof schema> {
			return isRecord(value) ? readFields<F>(plan, value) : empty();
		},
	};
}

function readItems<T>(item: { read(value: unknown): T }, value: unknown[]): T[] {
	let out: unknown[] = value;
	for (let i = 0; i < value.length; i++) {
		const raw = value[i];
		const read = item.read(raw);
		if (read !== raw) {
			if (out === value) out = value.slice();
			out[i] = read;
		}
	}
	return out as T[];
}

/** An array of objects; unusable elements read as undefined (skipped later), not as a failure. */
export function list<S extends z.ZodType>(item: Field<S>) {
	const schema = z.array(item.schema).optional().catch(undefined);
	return {
		schema,
		read(value: unknown): z.output<typeof schema> {
			return Array.isArray(value) ? readItems(item, value) : undefined;
		},
	};
}

/**
 * `last_messages`: an array, or a JSON string of one (what Notifyer sends today). An unparsable
 * string, or one holding something else, is no history. `parse` is the safe JSON parser.
 */
export function history<S extends z.ZodType>(
	item: Field<S>,
	parse: (text: string) => { ok: true; value: unknown } | { ok: false },
) {
	const fromJson = (text: string): Array<z.output<S>> => {
		const parsed = parse(text);
		return parsed.ok && Array.isArray(parsed.value) ? readItems(item, parsed.value) : [];
	};
	const schema = z
		.array(item.schema)
		.optional()
		.catch((ctx) => (typeof ctx.value === 'string' ? fromJson(ctx.value) : undefined));
	return {
		schema,
		read(value: unknown): z.output<typeof schema> {
			if (typeof value === 'string') return fromJson(value);
			return Array.isArray(value) ? readItems(item, value) : undefined;
		},
	};
}
