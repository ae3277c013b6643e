/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/**
 * `npm start`: a real n8n with this package installed as users get it, wired to the local
 * WhatsAble sandbox, with a published demo workflow. Everything it keeps lives in `.demo/`
 * (n8n's user folder, the login) and `.sandbox/state.json` (for `npm run sandbox:send`);
 * n8n itself is provisioned once into a cache outside the clone.
 *
 * It builds the package itself, so that `npm start` is this one process (package.json's script
 * `exec`s it): SIGINT (Ctrl-C) and SIGTERM (`kill <npm pid>`, what a process manager sends) alike
 * reach it, and it stops everything it started: the build, n8n's process group (n8n and its task
 * runner), the sandbox, and whatever else is still running below it. test/scripts/demo.test.ts
 * proves it, with `WHATSABLE_DEMO_STAND_IN=1` (scripts/demoStandIn.ts) for a cheap stack.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import type { WhatsAbleSandbox } from '../sandbox';
import {
	CREDENTIAL_TYPE,
	N8nRestError,
	N8nStack,
	REPO_DIR,
	TRIGGER_TYPE,
	TRIGGER_VERSION,
	isPortFree,
	type StackEvent,
	type WorkflowJson,
} from './n8n';
import { STAND_IN_ENV, startStandInStack } from './demoStandIn';
import { descendantsOf, signalTree } from './processTree';

const DEMO_DIR = path.join(REPO_DIR, '.demo');
const USER_FOLDER = path.join(DEMO_DIR, 'n8n');
const STATE_FILE = path.join(DEMO_DIR, 'demo.json');
const SANDBOX_STATE = path.join(REPO_DIR, '.sandbox', 'state.json');
const N8N_PORT = 5678;
const SANDBOX_PORT = 5680;
const WORKFLOW_NAME = 'WhatsAble demo: incoming WhatsApp messages';
const CREDENTIAL_NAME = 'WhatsAble sandbox (local)';

interface DemoState {
	email: string;
	password: string;
	/** The sandbox's bearer token and its account's password, kept so the credential stays valid across runs. */
	sandboxToken: string;
	sandboxPassword?: string;
	credentialId?: string;
	workflowId?: string;
}

function step(message: string): void {
	console.log(`[demo] ${message}`);
}

function readState(): DemoState {
	if (existsSync(STATE_FILE)) {
		const saved = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Partial<DemoState>;
		if (saved.email && saved.password && saved.sandboxToken) return saved as DemoState;
	}
	// n8n wants 8+ characters with a digit and an upper-case letter.
	return {
		email: 'demo@example.com',
		password: `Demo-${randomBytes(9).toString('base64url')}-7Q`,
		sandboxToken: `sbx_${randomBytes(24).toString('base64url')}`,
	};
}

function saveState(state: DemoState): void {
	mkdirSync(DEMO_DIR, { recursive: true });
	writeFileSync(STATE_FILE, JSON.stringify(state, null, '\t') + '\n', { mode: 0o600 });
}

function demoWorkflow(credential: { id: string; name: string }): WorkflowJson {
	const assignment = (name: string, value: string) => ({
		id: randomUUID(),
		name,
		value,
		type: 'string',
	});
	return {
		name: WORKFLOW_NAME,
		nodes: [
			{
				id: randomUUID(),
				name: 'WhatsAble Trigger',
				type: TRIGGER_TYPE,
				typeVersion: TRIGGER_VERSION,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { events: ['incoming', 'outgoing'] },
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
			{
				id: randomUUID(),
				name: 'Draft a reply',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [260, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							assignment('from', '={{ $json.contact.name }} (+{{ $json.contact.phone }})'),
							assignment('received', '={{ $json.message.text }}'),
							assignment(
								'reply',
								'=Thanks {{ $json.contact.name }}, we got your message: "{{ $json.message.text }}"',
							),
						],
					},
					options: {},
				},
			},
		],
		connections: {
			'WhatsAble Trigger': { main: [[{ node: 'Draft a reply', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The sandbox whose `.sandbox/state.json` this demo wrote. */
let sandboxUrl: string | undefined;

/** `.sandbox/state.json`, so `npm run sandbox:send` finds this sandbox. */
function writeSandboxState(sandbox: WhatsAbleSandbox): void {
	sandboxUrl = sandbox.baseUrl;
	mkdirSync(path.dirname(SANDBOX_STATE), { recursive: true });
	const state = { baseUrl: sandbox.baseUrl, token: sandbox.token };
	writeFileSync(SANDBOX_STATE, JSON.stringify(state, null, '\t') + '\n', { mode: 0o600 });
}

/** Removes `.sandbox/state.json` unless a newer sandbox has replaced it. */
function removeSandboxState(baseUrl: string): void {
	try {
		const saved = JSON.parse(readFileSync(SANDBOX_STATE, 'utf8')) as { baseUrl?: string };
		if (saved.baseUrl === baseUrl) rmSync(SANDBOX_STATE, { force: true });
	} catch {
		// No state file.
	}
}

/** The demo's progress lines for the stack's steps. */
function stackStep(event: StackEvent): void {
	switch (event.step) {
		case 'provision':
			return step(
				'provisioning n8n (first run: installs it into a cache, several minutes; then seconds)',
			);
		case 'install':
			return step(
				`installing this package into ${path.relative(REPO_DIR, event.userFolder)} the way n8n installs community nodes`,
			);
		case 'installed': {
			const { version, verifiedNodeTypes } = event.installed;
			const loads =
				verifiedNodeTypes.length > 0 ? ` (n8n loads: ${verifiedNodeTypes.join(', ')})` : '';
			return step(`n8n-nodes-whatsable-webhooks@${version} installed${loads}`);
		}
		case 'sandbox':
			writeSandboxState(event.sandbox);
			return step(`WhatsAble sandbox listening on ${event.sandbox.baseUrl}`);
		case 'n8nStart':
			return step('starting n8n (the very first start sets up its database: about a minute)');
		case 'n8n':
			return step(
				`n8n is up on ${event.n8n.baseUrl} (log: ${path.relative(REPO_DIR, path.join(USER_FOLDER, 'n8n.log'))})`,
			);
		case 'owner':
			return step(event.created ? 'owner account created' : 'logged in as the existing owner');
	}
}

/** What to stop when the demo stops, in the order they started. */
const running: Array<() => Promise<void>> = [];
let stopping = false;

/** Stops what the demo started (newest first), then anything still running below it, and exits. */
async function stopAll(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	step('stopping n8n and the sandbox...');
	for (const stop of running.reverse()) await stop().catch(() => undefined);
	// Whatever a step had under way (a provisioning install, npm pack) goes too.
	for (const pid of descendantsOf(process.pid)) signalTree(pid, 'SIGKILL');
	if (sandboxUrl) removeSandboxState(sandboxUrl);
	process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** `npm run build`, in its own process group so that a stop ends it with all its children. */
async function build(): Promise<void> {
	step('building the package (npm run build)');
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: the build is the point
	const child = spawn('npm', ['run', '--silent', 'build'], {
		cwd: REPO_DIR,
		stdio: 'inherit',
		detached: true,
	});
	const pid = child.pid;
	const stop = async () => {
		if (pid !== undefined && child.exitCode === null && child.signalCode === null)
			signalTree(pid, 'SIGKILL');
	};
	running.push(stop);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', resolve);
	});
	running.splice(running.indexOf(stop), 1);
	if (code !== 0) throw new Error(`npm run build failed (exit ${String(code)})`);
}

/** The stand-in stack (no build, no n8n): what the stop test runs. */
async function standIn(): Promise<void> {
	step('stand-in stack: no build, a stand-in n8n (test/scripts/demo.test.ts)');
	const stack = await startStandInStack();
	running.push(() => stack.stop());
	console.log(
		[
			'',
			'================ WhatsAble n8n demo is running ================',
			...stack.describe(),
			'',
		].join('\n'),
	);
}

async function main(): Promise<void> {
	if (process.env[STAND_IN_ENV] === '1') return await standIn();
	const started = Date.now();
	await build();
	const state = readState();
	state.sandboxPassword ??= `Sbx-${randomBytes(9).toString('base64url')}-7Q`;
	saveState(state);
	const stack = new N8nStack({
		userFolder: USER_FOLDER,
		// Built just above.
		skipBuild: true,
		sandbox: {
			port: (await isPortFree(SANDBOX_PORT)) ? SANDBOX_PORT : 0,
			token: state.sandboxToken,
			account: { password: state.sandboxPassword },
			quiet: false,
		},
		n8nPort: (await isPortFree(N8N_PORT)) ? N8N_PORT : 0,
		owner: { email: state.email, password: state.password, firstName: 'Demo', lastName: 'Owner' },
		credential: { name: CREDENTIAL_NAME, reuseId: state.credentialId },
		onStep: stackStep,
	});
	// Registered before start: a stop midway stops what has started so far.
	running.push(() => stack.stop());

	await stack.start();
	const { n8n, rest, sandbox, credential } = stack;
	if (state.credentialId !== credential.id) {
		state.credentialId = credential.id;
		saveState(state);
	}

	const workflows = await rest.listWorkflows();
	let workflow = workflows.find((w) => w.id === state.workflowId);
	if (!workflow) {
		workflow = await rest.createWorkflow(
			demoWorkflow({ id: credential.id, name: credential.name }),
		);
		state.workflowId = workflow.id;
		saveState(state);
	} else if ((await rest.getWorkflow(workflow.id)).activeVersionId) {
		// The sandbox forgets its registrations when it stops: publish again so the trigger
		// registers itself with this sandbox (n8n's start-up does not re-check registrations).
		await rest.deactivate(workflow.id);
	}
	const publication = await rest.activate(workflow.id);
	if (publication.status !== 'published') {
		throw new Error(`Publishing the demo workflow failed: ${JSON.stringify(publication.triggers)}`);
	}
	const registered = sandbox.records().length;
	step(
		`demo workflow published; the trigger registered itself with the sandbox (${registered} registration)`,
	);

	console.log(
		[
			'',
			'================ WhatsAble n8n demo is running ================',
			`  n8n editor:  ${n8n.baseUrl}/workflow/${workflow.id}`,
			`  login:       ${state.email}`,
			`  password:    ${state.password}`,
			`  The credential signs in to the sandbox as ${sandbox.email} / ${sandbox.password}`,
			'',
			'  Send a WhatsApp message into the workflow (another terminal, same folder):',
			'    npm run sandbox:send -- --text "hi"',
			`  (it finds the sandbox through .sandbox/state.json; --outgoing, --media image, --referral`,
			'   and --fixture <name|file> are there too). Then open the workflow\'s "Executions" tab.',
			'',
			`  Ready in ${Math.round((Date.now() - started) / 1000)} s. Ctrl-C stops n8n and the sandbox.`,
			'===============================================================',
			'',
		].join('\n'),
	);
}

main().catch(async (error: unknown) => {
	const message =
		error instanceof N8nRestError || error instanceof Error ? error.message : String(error);
	console.error(`[demo] failed: ${message}`);
	await stopAll(1);
});
