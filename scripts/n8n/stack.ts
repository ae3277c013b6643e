/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/**
 * THE real-n8n stack that `npm start` (scripts/demo.ts), `npm run test:e2e` (test/e2e/env.ts) and
 * `npm run bench` (bench/n8nBench.ts) share: n8n provisioned, this package packed and installed
 * the way n8n installs community nodes, a WhatsAble sandbox, a sink, n8n started, its owner, and a
 * credential pointing at the sandbox.
 *
 * Environment:
 *   WHATSABLE_KEEP_N8N=1       keep the (temporary) user folder and its n8n.log after stop
 *   WHATSABLE_PACKAGE_REPO=DIR install another checkout's package (a what-if or broken copy)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { WhatsAbleSandbox, type SandboxOptions } from '../../sandbox';
import { CREDENTIAL_TYPE, installLocalPackage, packAndInstall, type Installed } from './install';
import { runN8nCli, startN8n, type N8nProcess } from './process';
import { provision, REPO_DIR, type N8nInstall } from './provision';
import { N8nRest, type Owner, type PublicationStatus, type Workflow, type WorkflowJson } from './rest';
import { Sink } from './sink';
import { n8nLine, type N8nLine } from './version';
import type { CredentialRef } from './workflows';

export const KEEP_ENV = 'WHATSABLE_KEEP_N8N';
export const PACKAGE_REPO_ENV = 'WHATSABLE_PACKAGE_REPO';

/** What the stack has just done, for callers that tell a user (the demo) or time it. */
export type StackEvent =
	| { step: 'provision' }
	| { step: 'install'; userFolder: string }
	| { step: 'installed'; installed: Installed }
	| { step: 'sandbox'; sandbox: WhatsAbleSandbox }
	| { step: 'n8nStart' }
	| { step: 'n8n'; n8n: N8nProcess }
	| { step: 'owner'; created: boolean };

export interface StackOptions {
	/** A fixed user folder, never removed (the demo's `.demo/n8n`); default a temporary one. */
	userFolder?: string;
	/** Keep the temporary user folder after stop; also when WHATSABLE_KEEP_N8N=1. */
	keep?: boolean;
	/** Pack without the build (only right after `npm run build` of this checkout). */
	skipBuild?: boolean;
	sandbox?: SandboxOptions;
	/** n8n's port; 0 or absent: a free one. */
	n8nPort?: number;
	/** Extra n8n environment. */
	env?: Record<string, string>;
	/** The base URL n8n hands to triggers (a load balancer's); default n8n's own. */
	webhookUrl?: string;
	/** Folders of dependency-free local packages installed beside ours (the bench's anchor). */
	localPackages?: string[];
	/** Print n8n's output on stderr. */
	echo?: boolean;
	/** Default: a throwaway owner with a new password. */
	owner?: Owner;
	/**
	 * The credential's name, an existing credential to update instead of creating one, and how it
	 * signs in: with the sandbox account's email and password (default, as users are advised) or
	 * with a pasted session token.
	 */
	credential?: { name?: string; reuseId?: string; authentication?: 'emailPassword' | 'sessionToken' };
	onStep?: (event: StackEvent) => void;
}

function throwawayOwner(): Owner {
	// n8n wants 8+ characters with a digit and an upper-case letter.
	return {
		email: 'owner@example.com',
		password: `Pw1-${randomBytes(12).toString('base64url')}`,
		firstName: 'Local',
		lastName: 'Owner',
	};
}

function required<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new Error(`the n8n stack has not started its ${what}`);
	return value;
}

/** A credential's fields for the sandbox, as a user would fill them in. */
export function sandboxCredentialData(
	sandbox: WhatsAbleSandbox,
	authentication: 'emailPassword' | 'sessionToken',
): Record<string, string> {
	const common = { authentication, baseUrl: sandbox.baseUrl, consoleOrigin: sandbox.origin ?? '', signatureSecret: '' };
	return authentication === 'emailPassword'
		? { ...common, email: sandbox.email, password: sandbox.password }
		: { ...common, apiToken: sandbox.token };
}

export class N8nStack {
	readonly owner: Owner;
	readonly userFolder: string;
	/** Milliseconds per step (provision, packAndInstall, n8nStart). */
	readonly timings: Record<string, number> = {};
	private readonly keep: boolean;
	private parts: {
		install?: N8nInstall;
		installed?: Installed;
		sandbox?: WhatsAbleSandbox;
		sink?: Sink;
		n8n?: N8nProcess;
		rest?: N8nRest;
		credential?: CredentialRef;
	} = {};

	/** Use `N8nStack.start`, or `new` then `start()` to be able to `stop()` midway. */
	constructor(private readonly opts: StackOptions = {}) {
		this.owner = opts.owner ?? throwawayOwner();
		this.userFolder = opts.userFolder ?? mkdtempSync(path.join(tmpdir(), 'whatsable-n8n-'));
		this.keep = opts.userFolder !== undefined || opts.keep === true || process.env[KEEP_ENV] === '1';
	}

	static async start(opts: StackOptions = {}): Promise<N8nStack> {
		const stack = new N8nStack(opts);
		await stack.start();
		return stack;
	}

	get install(): N8nInstall {
		return required(this.parts.install, 'n8n install');
	}
	get installed(): Installed {
		return required(this.parts.installed, 'package install');
	}
	get sandbox(): WhatsAbleSandbox {
		return required(this.parts.sandbox, 'sandbox');
	}
	get sink(): Sink {
		return required(this.parts.sink, 'sink');
	}
	get n8n(): N8nProcess {
		return required(this.parts.n8n, 'n8n');
	}
	get rest(): N8nRest {
		return required(this.parts.rest, 'REST client');
	}
	get credential(): CredentialRef {
		return required(this.parts.credential, 'credential');
	}

	private async timed<T>(name: string, run: () => Promise<T>): Promise<T> {
		const started = Date.now();
		try {
			return await run();
		} finally {
			this.timings[name] = Date.now() - started;
		}
	}

	async start(): Promise<void> {
		const { opts, parts } = this;
		const say = (event: StackEvent) => opts.onStep?.(event);
		try {
			say({ step: 'provision' });
			const install = (parts.install = await this.timed('provision', () => provision()));
			say({ step: 'install', userFolder: this.userFolder });
			const repoDir = process.env[PACKAGE_REPO_ENV] || REPO_DIR;
			parts.installed = await this.timed('packAndInstall', () =>
				packAndInstall(this.userFolder, install, {
					repoDir,
					skipBuild: opts.skipBuild === true && repoDir === REPO_DIR,
				}),
			);
			for (const dir of opts.localPackages ?? []) installLocalPackage(this.userFolder, dir);
			say({ step: 'installed', installed: parts.installed });
			const sandbox = (parts.sandbox = await WhatsAbleSandbox.start(opts.sandbox));
			say({ step: 'sandbox', sandbox });
			parts.sink = await Sink.start();
			say({ step: 'n8nStart' });
			const n8n = (parts.n8n = await this.timed('n8nStart', () =>
				startN8n({
					install,
					userFolder: this.userFolder,
					port: opts.n8nPort,
					webhookUrl: opts.webhookUrl,
					env: opts.env,
					echo: opts.echo,
				}),
			));
			say({ step: 'n8n', n8n });
			const rest = (parts.rest = new N8nRest(n8n.baseUrl, this.line));
			say({ step: 'owner', created: await rest.ensureOwner(this.owner) });
			parts.credential = await this.sandboxCredential(rest, sandbox);
		} catch (error) {
			await this.stopParts();
			console.error(`[n8n stack] start failed; n8n's user folder (and n8n.log) kept in ${this.userFolder}`);
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- dev tooling, not a node
			throw error;
		}
	}

	/** The WhatsAble credential for the sandbox: the one to reuse, updated, or a new one. */
	private async sandboxCredential(rest: N8nRest, sandbox: WhatsAbleSandbox): Promise<CredentialRef> {
		const { name = 'WhatsAble sandbox', reuseId, authentication = 'emailPassword' } = this.opts.credential ?? {};
		const data = sandboxCredentialData(sandbox, authentication);
		const existing =
			reuseId === undefined
				? undefined
				: (await rest.listCredentials()).find((c) => c.id === reuseId && c.type === CREDENTIAL_TYPE);
		if (existing) {
			// As a user edits it: the credential's own session and sealing key stay.
			await rest.editCredential(existing.id, data);
			return { id: existing.id, name: existing.name };
		}
		const created = await rest.createCredential({ name, type: CREDENTIAL_TYPE, data });
		return { id: created.id, name: created.name };
	}

	get n8nVersion(): string {
		try {
			const pkgFile = path.join(this.install.dir, 'node_modules', 'n8n', 'package.json');
			return (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string }).version ?? 'unknown';
		} catch {
			return 'unknown';
		}
	}

	/** How the provisioned n8n's line behaves (version.ts). */
	get line(): N8nLine {
		return n8nLine(this.n8nVersion);
	}

	/**
	 * A credential's stored data, decrypted by n8n's CLI (`export:credentials --decrypted`): what
	 * only the instance can read, such as the sealing key the credential made for itself.
	 */
	async decryptedCredential(id: string): Promise<Record<string, unknown>> {
		const dir = mkdtempSync(path.join(tmpdir(), 'whatsable-cred-'));
		try {
			const file = path.join(dir, 'credentials.json');
			const result = await runN8nCli(this.install, this.userFolder, ['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`], {
				env: this.opts.env,
			});
			if (result.code !== 0) throw new Error(`n8n export:credentials failed: ${result.stderr.slice(-1000)}`);
			const [credential] = JSON.parse(readFileSync(file, 'utf8')) as Array<{ data?: Record<string, unknown> }>;
			return credential?.data ?? {};
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}

	async createAndPublish(json: WorkflowJson): Promise<{ workflow: Workflow; status: PublicationStatus }> {
		const workflow = await this.rest.createWorkflow(json);
		const status = await this.rest.activate(workflow.id);
		return { workflow, status };
	}

	private stopping: Promise<void> | undefined;

	/** Stops n8n, the sink and the sandbox, once however often it is called. */
	private async stopParts(): Promise<void> {
		const { n8n, sink, sandbox } = this.parts;
		this.stopping ??= (async () => {
			await n8n?.close().catch(() => undefined);
			await sink?.stop().catch(() => undefined);
			await sandbox?.stop().catch(() => undefined);
		})();
		await this.stopping;
	}

	/** Stops whatever has started; removes a temporary user folder unless it is kept. */
	async stop(): Promise<void> {
		await this.stopParts();
		if (this.opts.userFolder !== undefined) return;
		if (this.keep) console.error(`[n8n stack] kept n8n's user folder (log: ${path.join(this.userFolder, 'n8n.log')})`);
		else rmSync(this.userFolder, { recursive: true, force: true });
	}
}
