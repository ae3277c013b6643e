import type { INodePropertyOptions } from 'n8n-workflow';

type Label = (option: INodePropertyOptions) => string;

function labelsOf(options: INodePropertyOptions[], label: Label): Record<string, string> {
	return Object.fromEntries(options.map((o) => [String(o.value), label(o)]));
}

/** `table` is an expression for the value → label object. */
function subtitleOver(parameter: string, table: string): string {
	const value = `$parameter["${parameter}"]`;
	// A multiOptions parameter holds a list; an options parameter one value.
	return `={{ [].concat(${value}).map((v) => (${table})[v] || v).join(", ") }}`;
}

/**
 * A canvas subtitle expression that shows an options parameter's labels instead of its raw
 * values ("Get many webhooks", not "getAll: webhook"). `label` picks what an option shows.
 */
export function labelSubtitle(
	parameter: string,
	options: INodePropertyOptions[],
	label: Label,
): string {
	return subtitleOver(parameter, JSON.stringify(labelsOf(options, label)));
}

/**
 * The same for a parameter whose options depend on another parameter's value (`by`): each
 * resource has its own operations, and two resources may use the same operation value.
 */
export function labelSubtitleBy(
	parameter: string,
	by: string,
	optionsBy: Record<string, INodePropertyOptions[]>,
	label: Label,
): string {
	const tables = Object.fromEntries(
		Object.entries(optionsBy).map(([value, options]) => [value, labelsOf(options, label)]),
	);
	return subtitleOver(parameter, `${JSON.stringify(tables)}[$parameter["${by}"]] || {}`);
}
