import { z } from 'zod/v4';

import { asBoolean, asLabels, asString, asTime, isRecord } from './coerce';

/*
 * Building blocks of the lenient input schemas (input.ts). A leaf takes its base type when the
 * value has it and otherwise what its coercion makes of the value (absent when nothing), so no
 * single field can fail a delivery. Objects keep unknown fields.
 */

function leaf<B extends z.ZodType>(base: B, coerce: (value: unknown) => z.output<B> | undefined) {
	return base.nullish().catch((ctx) => coerce(ctx.value));
}

/** Text; a number becomes its decimal text, anything else absent. null means "none". */
export const text = leaf(z.string(), asString);

/** A boolean; "true"/"false" and 1/0 are read as one. */
export const flag = leaf(z.boolean(), asBoolean);

/** Unix seconds (number or numeric string) or a date string. */
export const time = leaf(z.union([z.number(), z.string()]), asTime);

/** One comma-separated string, or an array of labels. */
export const labels = leaf(z.union([z.string(), z.array(z.string())]), asLabels);

/** Meta sends `{ text }`; Notifyer's form is undocumented, so plain text is accepted too. */
export const textOrTextObject = leaf(z.string(), (v) =>
	isRecord(v) ? asString(v.text) : asString(v),
);

export const whatsappBusinessAccount = leaf(
	z.literal('whatsapp_business_account'),
	() => undefined,
);

type Shape = Record<string, z.ZodType>;

/** A nested object; anything that is not an object reads as absent. */
export function object<S extends Shape>(shape: S) {
	return z.looseObject(shape).nullish().catch(undefined);
}

/** A nested object that is always there: anything else reads as `{}`. */
export function objectOrEmpty<S extends Shape>(shape: S) {
	// Every field is optional, so an empty object is a valid output.
	return z.looseObject(shape).catch(() => ({}) as z.output<z.ZodObject<S, z.core.$loose>>);
}

/** An array of objects; unusable elements read as absent (skipped later), not as a failure. */
export function list<S extends z.ZodType>(item: S) {
	return z.array(item).optional().catch(undefined);
}

/**
 * `last_messages`: an array, or a JSON string of one (what Notifyer sends today). An unparsable
 * string, or one holding something else, is no history. `parse` is the safe JSON parser.
 */
export function history<S extends z.ZodType>(
	item: S,
	parse: (text: string) => { ok: true; value: unknown } | { ok: false },
) {
	const items = z.array(item);
	return items.optional().catch((ctx) => {
		if (typeof ctx.value !== 'string') return undefined;
		const parsed = parse(ctx.value);
		const read = parsed.ok ? items.safeParse(parsed.value) : undefined;
		return read?.success ? read.data : [];
	});
}
