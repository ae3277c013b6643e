import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { labelSubtitle, labelSubtitleBy } from '../../shared/subtitle';
import { operationProperties, type Operation, type OperationOption } from './operation';

/*
 * What a resource folder's index.ts exports, and what the node builds from the list of them
 * (registry.ts): its parameters and its canvas subtitle. Functions of the list, so a test can
 * build them from a list of its own.
 */

export interface Resource {
	/** The Resource parameter's value; also the folder of its operations' `__schema__` files. */
	readonly value: string;
	/** Its label in the Resource parameter. */
	readonly name: string;
	/** What it is, completing the Resource parameter's description "What to work with: ...". */
	readonly subject: string;
	/** The Operation parameter's description for this resource. */
	readonly operationDescription: string;
	/**
	 * The operation (value) the Operation parameter starts on: in the editor, and when the node is
	 * an AI tool (an agent may run it unasked, so a harmless one).
	 */
	readonly startsOn: { readonly editor: string; readonly tool: string };
	/** In the order their parameters appear in the panel; the Operation parameter sorts them. */
	readonly operations: readonly Operation[];
}

/* n8n's lint wants option lists in alphabetical order; it cannot see lists built here. */
const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

function operationOptions(resource: Resource): OperationOption[] {
	return resource.operations.map((o) => o.option).sort(byName);
}

/** The first resource listed is the default. */
function resourceProperty(resources: readonly Resource[]): INodeProperties {
	const defaultResource = resources[0].value;
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: defaultResource,
		description: `What to work with: ${resources.map((r) => r.subject).join('; ')}`,
		options: resources.map((r) => ({ name: r.name, value: r.value })).sort(byName),
	};
}

function operationProperty(
	resource: Resource,
	defaultOperation: string,
	displayOptions: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions,
		default: defaultOperation,
		description: resource.operationDescription,
		options: operationOptions(resource),
	};
}

function propertiesOfResource(resource: Resource): INodeProperties[] {
	return [
		// Two Operation parameters so that the tool starts elsewhere. `hide` rather than
		// `show: false` so that an n8n which does not know '@tool' still shows the first.
		operationProperty(resource, resource.startsOn.editor, {
			show: { resource: [resource.value] },
			hide: { '@tool': [true] },
		}),
		operationProperty(resource, resource.startsOn.tool, {
			show: { resource: [resource.value], '@tool': [true] },
		}),
		...resource.operations.flatMap((o) =>
			operationProperties(resource.value, o.option.value, o.properties),
		),
	];
}

/** The node's parameters: Resource, then each resource's Operation and its operations' own. */
export function resourceProperties(resources: readonly Resource[]): INodeProperties[] {
	return [resourceProperty(resources), ...resources.flatMap(propertiesOfResource)];
}

const actionOf = (o: INodePropertyOptions) => o.action ?? o.name;

/** The canvas subtitle: the operation's action ("Get many webhooks"). */
export function resourceSubtitle(resources: readonly Resource[]): string {
	// One resource: operation values cannot collide, so the operation alone picks the label.
	if (resources.length === 1) {
		return labelSubtitle('operation', operationOptions(resources[0]), actionOf);
	}
	const byResource = Object.fromEntries(resources.map((r) => [r.value, operationOptions(r)]));
	return labelSubtitleBy('operation', 'resource', byResource, actionOf);
}
