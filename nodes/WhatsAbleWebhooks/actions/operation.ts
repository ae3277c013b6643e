import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';
import type { z } from 'zod/v4';

/* What every `<operation>.operation.ts` is made of, so each file holds only its own logic. */

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;

/** The operation's entry in the Operation parameter. */
export type OperationOption = INodePropertyOptions & {
	value: string;
	/** What the canvas subtitle shows and what n8n names the AI tool's action. */
	action: string;
};

/** What an operation file exports. */
export interface OperationFile {
	/** Its parameters; shown only for its resource and operation (see operationProperties). */
	readonly properties: INodeProperties[];
	readonly execute: OperationExecute;
	/** Its item: the types and the editor's `__schema__` file come from it. */
	readonly output: z.ZodType;
}

/** An operation as its resource lists it: its Operation option, then its file's exports. */
export interface Operation extends OperationFile {
	readonly option: OperationOption;
}

/** An operation's parameters, shown only for its resource and operation. */
export function operationProperties(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: [resource], operation: [operation] } },
		properties,
	);
}

/** One output item paired with the input item it came from. */
export function itemFor(json: IDataObject, itemIndex: number): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}
