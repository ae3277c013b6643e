/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- dev tooling, not shipped in the package */
/** Command-line flags for the dev tools (sandbox/cli.ts, bench/run.ts, bench/hotpath.ts), on node:util parseArgs. */
import { parseArgs } from 'node:util';

/** A wrong command line: the tools print the message and their usage, and exit 2. */
export class UsageError extends Error {}

export type Flags<S extends string, B extends string, M extends string> = { [K in S]?: string } & {
	[K in B]?: boolean;
} & { [K in M]?: string[] };

export interface FlagSpec<S extends string, B extends string, M extends string> {
	/** Flags that take a value. */
	strings: readonly S[];
	/** Flags without a value. */
	booleans?: readonly B[];
	/** Flags that take a value and may be repeated. */
	multiple?: readonly M[];
}

/** Parses `argv` strictly (unknown flags and positionals are UsageErrors). */
export function parseFlags<S extends string, B extends string = never, M extends string = never>(
	argv: string[],
	spec: FlagSpec<S, B, M>,
): Flags<S, B, M> {
	const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
	for (const name of spec.strings) options[name] = { type: 'string' };
	for (const name of spec.booleans ?? []) options[name] = { type: 'boolean' };
	for (const name of spec.multiple ?? []) options[name] = { type: 'string', multiple: true };
	try {
		return parseArgs({ args: argv, strict: true, options }).values as Flags<S, B, M>;
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
}

/** An integer flag of at least `min` (default 0), or `fallback` when absent. */
export function intFlag(value: string | undefined, name: string, fallback?: number, min = 0): number | undefined {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value) || Number(value) < min) {
		throw new UsageError(`--${name} must be an integer of at least ${min}`);
	}
	return Number(value);
}

/** A positive integer flag with a default. */
export function countFlag(value: string | undefined, name: string, fallback: number): number {
	return intFlag(value, name, fallback, 1) ?? fallback;
}

/** A comma-separated list flag, trimmed, empty entries dropped. */
export function listFlag(value: string | undefined, fallback: string): string[] {
	return (value ?? fallback)
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item !== '');
}
