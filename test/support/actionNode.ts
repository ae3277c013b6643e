/**
 * Running the action node in n8n-core's real ExecuteContext against a fresh sandbox per test:
 * what every test of test/action/ shares.
 */
import {
	NodeApiError,
	NodeOperationError,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { WhatsAbleWebhooks } from '../../nodes/WhatsAbleWebhooks/WhatsAbleWebhooks.node';
import { WhatsAbleSandbox, type RecordedCall } from '../../sandbox';
import { makeExecuteContext, sandboxCredentials, type TestCredentials } from './n8nContext';

export const SECRET_NOTE =
	"Shown once: WhatsAble never returns this secret again. Store it now (for example in the credential's Signature Secret).";
export const BAD_TOKEN = 'dummy-wrong-token-7f3a9c1e5d';

export interface RunOptions {
	continueOnFail?: boolean;
	credentials?: Partial<TestCredentials>;
}

export type NodeFailure = NodeApiError | NodeOperationError;

export interface ActionNodeHarness {
	readonly sandbox: WhatsAbleSandbox;
	/** Runs the node with one parameter object per input item (resource defaults to webhook). */
	run(
		parameters: Array<Record<string, unknown>>,
		options?: RunOptions,
	): Promise<INodeExecutionData[]>;
	/** Runs the node and returns the n8n error it failed with (fails the test if it did not fail). */
	runFailing(
		parameters: Array<Record<string, unknown>>,
		options?: RunOptions,
	): Promise<NodeFailure>;
	/** The sandbox calls so far, of one method or all. */
	apiCalls(method?: string): RecordedCall[];
}

/** Registers a fresh sandbox for each test of the calling file. */
export function useActionNode(): ActionNodeHarness {
	let sandbox: WhatsAbleSandbox | undefined;
	beforeEach(async () => {
		sandbox = await WhatsAbleSandbox.start({ port: 0 });
	});
	afterEach(async () => {
		await sandbox?.stop();
	});
	const current = (): WhatsAbleSandbox => {
		if (!sandbox) throw new Error('the sandbox starts in beforeEach');
		return sandbox;
	};
	const credentials = (overrides: Partial<TestCredentials> = {}): TestCredentials =>
		sandboxCredentials(current(), overrides);
	const run: ActionNodeHarness['run'] = async (parameters, options = {}) => {
		const ctx = makeExecuteContext({
			credentials: credentials(options.credentials),
			parameters: parameters.map((p) => ({ resource: 'webhook', ...p })),
			continueOnFail: options.continueOnFail,
		});
		const result = await new WhatsAbleWebhooks().execute.call(ctx);
		expect(result).toHaveLength(1);
		return result[0];
	};
	return {
		get sandbox() {
			return current();
		},
		run,
		async runFailing(parameters, options = {}) {
			try {
				await run(parameters, options);
			} catch (error) {
				expect(error instanceof NodeApiError || error instanceof NodeOperationError).toBe(true);
				return error as NodeFailure;
			}
			throw new Error('expected the node to fail');
		},
		apiCalls: (method) =>
			current().calls.filter((c) => method === undefined || c.method === method),
	};
}

/** Every property, collection options included. */
export function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		const nested = (p.options ?? []).filter(
			(o): o is INodeProperties => typeof o === 'object' && o !== null && 'displayName' in o,
		);
		return [p, ...allProperties(nested)];
	});
}

/** Create's parameters with harmless defaults. */
export const createParams = (url: string, extra: Record<string, unknown> = {}) => ({
	operation: 'create',
	url,
	events: ['incoming'],
	enabled: true,
	scheduleActivity: false,
	waitingDuration: 3600,
	signDeliveries: false,
	...extra,
});
