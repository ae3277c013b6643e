/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/** Shared set-up of the end-to-end suite: one real n8n, one sandbox, one sink. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { API_PREFIX, WhatsAbleSandbox, type RecordedCall, type WebhookRecord } from '../../sandbox';
import {
	CREDENTIAL_TYPE,
	N8nRest,
	REPO_DIR,
	Sink,
	packAndInstall,
	provision,
	sleep,
	startN8n,
	type CredentialRef,
	type ExecutionSummary,
	type N8nInstall,
	type N8nProcess,
	type Owner,
} from '../../scripts/n8n';

export const OWNER: Owner = {
	email: 'e2e-owner@example.com',
	// A throwaway owner of a temporary n8n: a new password each run (n8n wants a digit and a capital).
	password: `E2e-${randomBytes(9).toString('base64url')}-Q7`,
	firstName: 'End',
	lastName: 'ToEnd',
};

export interface E2eEnv {
	install: N8nInstall;
	userFolder: string;
	n8n: N8nProcess;
	rest: N8nRest;
	sandbox: WhatsAbleSandbox;
	sink: Sink;
	credential: CredentialRef;
	timings: Record<string, number>;
}

function time<T>(timings: Record<string, number>, name: string, run: () => Promise<T>): Promise<T> {
	const started = Date.now();
	return run().finally(() => {
		timings[name] = Date.now() - started;
	});
}

export async function setUp(): Promise<E2eEnv> {
	const timings: Record<string, number> = {};
	const install = await time(timings, 'provision', () => provision());
	const userFolder = mkdtempSync(path.join(tmpdir(), 'whatsable-e2e-'));
	// Whatever started before a failure is stopped again, so jest can exit.
	const started: Array<{ stop(): Promise<void> }> = [];
	try {
		// WHATSABLE_E2E_REPO: test another checkout's package (e.g. a deliberately broken copy).
		const repoDir = process.env.WHATSABLE_E2E_REPO || REPO_DIR;
		await time(timings, 'packAndInstall', () => packAndInstall(userFolder, install, { repoDir }));
		const sandbox = await WhatsAbleSandbox.start({ port: 0, delivery: { baseDelayMs: 50 } });
		started.push(sandbox);
		if (sandbox.origin === null) throw new Error('the sandbox must check the Origin header');
		const sink = await Sink.start();
		started.push(sink);
		const n8n = await time(timings, 'n8nStart', () => startN8n({ install, userFolder }));
		started.push({ stop: () => n8n.close() });
		const rest = new N8nRest(n8n.baseUrl);
		await rest.setupOwner(OWNER);
		const credential = await rest.createCredential({
			name: 'WhatsAble sandbox',
			type: CREDENTIAL_TYPE,
			data: {
				apiToken: sandbox.token,
				baseUrl: sandbox.baseUrl,
				consoleOrigin: sandbox.origin,
				signatureSecret: '',
			},
		});
		return {
			install,
			userFolder,
			n8n,
			rest,
			sandbox,
			sink,
			credential: { id: credential.id, name: credential.name },
			timings,
		};
	} catch (error) {
		for (const thing of started.reverse()) await thing.stop().catch(() => undefined);
		console.error(`[e2e] set-up failed; n8n's user folder (and n8n.log) kept in ${userFolder}`);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test set-up, not a node
		throw error;
	}
}

export async function tearDown(env: E2eEnv | undefined): Promise<void> {
	if (!env) return;
	await env.n8n.close();
	await env.sandbox.stop();
	await env.sink.stop();
	if (process.env.WHATSABLE_E2E_KEEP) {
		console.log(`[e2e] kept n8n's user folder (log: ${path.join(env.userFolder, 'n8n.log')})`);
	} else {
		rmSync(env.userFolder, { recursive: true, force: true });
	}
}

/** Management calls (not the sandbox's own control endpoints) made since `mark`. */
export function apiCallsSince(sandbox: WhatsAbleSandbox, mark: number): RecordedCall[] {
	return sandbox.calls.slice(mark).filter((c) => c.path.startsWith(API_PREFIX));
}

export function isCreate(call: RecordedCall): boolean {
	return call.method === 'POST' && call.path.split('?')[0] === `${API_PREFIX}/webhook/dev/create`;
}

export function isDeleteOf(call: RecordedCall, id: number): boolean {
	return call.method === 'DELETE' && call.path.split('?')[0] === `${API_PREFIX}/webhook/dev/${id}`;
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

/** The sample deliveries WhatsAble documents (fixtures/payloads), as exact bytes. */
export function fixturePayloads(): Array<{ name: string; bytes: Buffer }> {
	const candidates = [
		process.env.WHATSABLE_FIXTURES,
		path.join(REPO_DIR, 'fixtures', 'payloads'),
		path.join(REPO_DIR, 'test', 'fixtures', 'payloads'),
		path.resolve(REPO_DIR, '..', 'shared', 'fixtures', 'payloads'),
	].filter((d): d is string => typeof d === 'string' && d !== '');
	const dir = candidates.find((d) => existsSync(d));
	if (!dir) throw new Error(`No payload fixtures found (looked in ${candidates.join(', ')})`);
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort();
	if (files.length === 0) throw new Error(`No .json fixtures in ${dir}`);
	return files.map((name) => ({ name, bytes: readFileSync(path.join(dir, name)) }));
}
