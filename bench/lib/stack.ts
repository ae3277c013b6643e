/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- dev tooling, not shipped in the package */
/**
 * One real n8n with the packed package installed, its owner and a credential pointing at a
 * WhatsAble sandbox, plus a sink: what the benchmark and the reliability tests share. Built only
 * from the harness in scripts/n8n/ (provision, packAndInstall, startN8n, N8nRest, Sink).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { DEFAULT_ORIGIN, WhatsAbleSandbox } from '../../sandbox';
import {
	CREDENTIAL_TYPE,
	N8nRest,
	Sink,
	packAndInstall,
	provision,
	startN8n,
	type CredentialRef,
	type N8nInstall,
	type N8nProcess,
	type PublicationStatus,
	type Workflow,
	type WorkflowJson,
} from '../../scripts/n8n';

export interface StackOptions {
	/** Extra n8n environment (both sides of a comparison get the same). */
	env?: Record<string, string>;
	/** Print n8n's output on stderr. */
	echo?: boolean;
	/** Keep the user folder after stop (for debugging); also when WHATSABLE_KEEP_N8N=1. */
	keep?: boolean;
}

export class N8nStack {
	private constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		readonly n8n: N8nProcess,
		readonly rest: N8nRest,
		readonly sandbox: WhatsAbleSandbox,
		readonly sink: Sink,
		readonly credential: CredentialRef,
		private readonly keep: boolean,
	) {}

	static async start(opts: StackOptions = {}): Promise<N8nStack> {
		const install = await provision();
		const userFolder = mkdtempSync(path.join(tmpdir(), 'whatsable-n8n-'));
		const keep = opts.keep === true || process.env.WHATSABLE_KEEP_N8N === '1';
		let sandbox: WhatsAbleSandbox | undefined;
		let sink: Sink | undefined;
		let n8n: N8nProcess | undefined;
		try {
			// WHATSABLE_BENCH_REPO: measure another checkout's package (e.g. a what-if variant).
			await packAndInstall(userFolder, install, { repoDir: process.env.WHATSABLE_BENCH_REPO || undefined });
			sandbox = await WhatsAbleSandbox.start({ quiet: true });
			sink = await Sink.start();
			n8n = await startN8n({ install, userFolder, env: opts.env, echo: opts.echo });
			const rest = new N8nRest(n8n.baseUrl);
			await rest.ensureOwner({
				email: 'owner@example.com',
				firstName: 'Bench',
				lastName: 'Owner',
				password: `Pw1-${randomBytes(12).toString('base64url')}`,
			});
			const credential = await rest.createCredential({
				name: 'WhatsAble sandbox',
				type: CREDENTIAL_TYPE,
				data: { apiToken: sandbox.token, baseUrl: sandbox.baseUrl, consoleOrigin: DEFAULT_ORIGIN },
			});
			return new N8nStack(install, userFolder, n8n, rest, sandbox, sink, { id: credential.id, name: credential.name }, keep);
		} catch (error) {
			await n8n?.close().catch(() => undefined);
			await sink?.stop().catch(() => undefined);
			await sandbox?.stop().catch(() => undefined);
			if (!keep) rmSync(userFolder, { recursive: true, force: true });
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- benchmark set-up, not a node
			throw error;
		}
	}

	get n8nVersion(): string {
		try {
			const pkg = JSON.parse(readFileSync(path.join(this.install.dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as {
				version?: string;
			};
			return pkg.version ?? 'unknown';
		} catch {
			return 'unknown';
		}
	}

	async createAndPublish(json: WorkflowJson): Promise<{ workflow: Workflow; status: PublicationStatus }> {
		const workflow = await this.rest.createWorkflow(json);
		const status = await this.rest.activate(workflow.id);
		return { workflow, status };
	}

	/** Registrations the sandbox holds for `url`. */
	registrationsAt(url: string): number {
		return this.sandbox.records().filter((r) => r.webhooks === url).length;
	}

	async stop(): Promise<void> {
		await this.n8n.close().catch(() => undefined);
		await this.sink.stop().catch(() => undefined);
		await this.sandbox.stop().catch(() => undefined);
		if (!this.keep) rmSync(this.userFolder, { recursive: true, force: true });
		else console.error(`[stack] kept n8n user folder ${this.userFolder}`);
	}
}
