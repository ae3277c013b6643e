import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../shared/apiError';
import type { OperationExecute } from './operation';
import type { Resource } from './resource';

type Router = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/** Runs each input item's operation; with Continue On Fail a failed item becomes `{ error }`. */
export function routerFor(resources: readonly Resource[]): Router {
	const executes = new Map(
		resources.map((r) => [r.value, new Map(r.operations.map((o) => [o.option.value, o.execute]))]),
	);
	const defaultResource = resources[0].value;

	function operationFor(ctx: IExecuteFunctions, itemIndex: number): OperationExecute {
		const resource = String(ctx.getNodeParameter('resource', itemIndex, defaultResource));
		const operation = String(ctx.getNodeParameter('operation', itemIndex));
		const execute = executes.get(resource)?.get(operation);
		if (!execute) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The operation "${operation}" is not supported for resource "${resource}"`,
				{ itemIndex },
			);
		}
		return execute;
	}

	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				output.push(...(await operationFor(this, itemIndex).call(this, itemIndex)));
			} catch (error) {
				const failure = asNodeError(this.getNode(), error, itemIndex);
				if (!this.continueOnFail()) throw failure;
				output.push({ json: { error: failure.message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	};
}
