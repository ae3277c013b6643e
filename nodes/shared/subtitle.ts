import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * A canvas subtitle expression that shows an options parameter's labels instead of its raw
 * values ("Get many webhooks", not "getAll: webhook"). `label` picks what an option shows.
 */
export function labelSubtitle(
	parameter: string,
	options: INodePropertyOptions[],
	label: (option: INodePropertyOptions) => string,
): string {
	const labels = JSON.stringify(
		Object.fromEntries(options.map((o) => [String(o.value), label(o)])),
	);
	const value = `$parameter["${parameter}"]`;
	// A multiOptions parameter holds a list; an options parameter one value.
	return `={{ [].concat(${value}).map((v) => (${labels})[v] || v).join(", ") }}`;
}
