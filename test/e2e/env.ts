/**
 * Set-up of the end-to-end suites on THE real-n8n stack (scripts/n8n/stack.ts: one n8n, one
 * sandbox with its Origin check on, one sink, an owner and a credential), plus the assertions the
 * suites share. WHATSABLE_KEEP_N8N=1 keeps n8n's user folder; WHATSABLE_PACKAGE_REPO tests another
 * checkout's package.
 */
import { randomBytes } from 'node:crypto';

import {
	API_PREFIX,
	type RecordedCall,
	type SandboxOptions,
	type WebhookRecord,
	type WhatsAbleSandbox,
} from '../../sandbox';
import {
	N8nStack,
	n8nLine,
	sleep,
	type ExecutionSummary,
	type N8nLine,
	type Owner,
} from '../../scripts/n8n';

/**
 * The n8n line this run targets (N8N_VERSION, default in scripts/provision-n8n.sh), known before
 * n8n starts so that a test of one line's behaviour is skipped, with the reason, on the other.
 */
export const LINE: N8nLine = n8nLine();

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/** `test` where `applies`, else `test.skip` with the reason in its title. */
export function testOn(applies: boolean, reason: string): TestFn {
	if (applies) return test;
	return (name, fn, timeout) =>
		test.skip(`${name} [skipped on n8n ${LINE.version}: ${reason}]`, fn, timeout);
}

/** `describe` where `applies`, else `describe.skip` with the reason in its title. */
export function describeOn(
	applies: boolean,
	reason: string,
): (name: string, fn: () => void) => void {
	if (applies) return describe;
	return (name, fn) => describe.skip(`${name} [skipped on n8n ${LINE.version}: ${reason}]`, fn);
}

export const OWNER: Owner = {
	email: 'e2e-owner@example.com',
	// A throwaway owner of a temporary n8n: a new password each run (n8n wants a digit and a capital).
	password: `E2e-${randomBytes(9).toString('base64url')}-Q7`,
	firstName: 'End',
	lastName: 'ToEnd',
};

export type E2eEnv = N8nStack;

/** The stack; `options` adds n8n environment or sandbox settings for one suite. */
export async function setUp(
	options: { env?: Record<string, string>; sandbox?: SandboxOptions } = {},
): Promise<E2eEnv> {
	const stack = await N8nStack.start({
		owner: OWNER,
		sandbox: { port: 0, delivery: { baseDelayMs: 50 }, ...options.sandbox },
		env: options.env,
	});
	if (stack.sandbox.origin === null) {
		await stack.stop();
		throw new Error('the sandbox must check the Origin header');
	}
	return stack;
}

export async function tearDown(env: E2eEnv | undefined): Promise<void> {
	await env?.stop();
}

/** Management calls (not the sandbox's own control endpoints) made since `mark`. */
export function apiCallsSince(sandbox: WhatsAbleSandbox, mark: number): RecordedCall[] {
	return sandbox.calls.slice(mark).filter((c) => c.path.startsWith(API_PREFIX));
}

function isCall(call: RecordedCall, method: string, endpoint: string): boolean {
	return call.method === method && call.path.split('?')[0] === `${API_PREFIX}${endpoint}`;
}

export function isList(call: RecordedCall): boolean {
	return isCall(call, 'GET', '/webhook/dev');
}

export function isCreate(call: RecordedCall): boolean {
	return isCall(call, 'POST', '/webhook/dev/create');
}

export function isDeleteOf(call: RecordedCall, id: number): boolean {
	return isCall(call, 'DELETE', `/webhook/dev/${id}`);
}

export function registrationsAt(sandbox: WhatsAbleSandbox, url: string): WebhookRecord[] {
	return sandbox.records().filter((r) => r.webhooks === url);
}

export async function executions(env: E2eEnv, workflowId: string): Promise<ExecutionSummary[]> {
	return await env.rest.listExecutions(workflowId);
}

/**
 * Asserts, after a pause long enough for n8n to have started and saved an execution, that the
 * workflow has exactly `count` executions.
 */
export async function expectExecutionCountStays(
	env: E2eEnv,
	workflowId: string,
	count: number,
	pauseMs = 2500,
): Promise<void> {
	await sleep(pauseMs);
	const list = await executions(env, workflowId);
	if (list.length !== count) {
		throw new Error(
			`expected ${count} executions of ${workflowId}, found ${list.length}: ${JSON.stringify(list.map((e) => [e.id, e.status]))}`,
		);
	}
}
