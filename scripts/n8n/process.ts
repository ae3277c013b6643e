/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	writeFileSync,
	type WriteStream,
} from 'node:fs';
import * as path from 'node:path';

import { freePort, httpRequest, sleep } from './http';
import { provision, type N8nInstall } from './provision';

/** n8n prints this once it has started and activated its published workflows. */
const READY_LINE = 'Editor is now accessible via';
const KILL_AFTER_MS = 20_000;

/** Variables of the test runner that would change how n8n behaves. */
const DROPPED_ENV = ['NODE_ENV', 'NODE_OPTIONS', 'JEST_WORKER_ID', 'TS_JEST', 'N8N_CONFIG_FILES'];

/**
 * One encryption key per user folder, kept beside it: every n8n command on the folder (start,
 * export, execute) must use the same key or n8n refuses to start ("Mismatching encryption keys").
 */
export function encryptionKeyFor(userFolder: string): string {
	const file = path.join(userFolder, 'harness-encryption-key');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(userFolder, { recursive: true });
	const key = randomBytes(24).toString('base64url');
	writeFileSync(file, key + '\n', { mode: 0o600 });
	return key;
}

/** The environment every n8n command of the harness runs with. */
export function n8nEnv(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const name of DROPPED_ENV) delete env[name];
	for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKeyFor(userFolder),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...extra,
	};
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs one n8n CLI command (export:nodes, export:workflow, execute, ...) on a user folder. */
export async function runN8nCli(
	install: N8nInstall,
	userFolder: string,
	args: string[],
	{ env = {}, timeoutMs = 180_000 }: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
	return await new Promise<CliResult>((resolve, reject) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: running n8n is the point
		const child = spawn(install.node, [install.bin, ...args], {
			cwd: userFolder,
			env: n8nEnv(userFolder, env),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
		child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/**
 * Signals the process group we created for `child` (n8n starts a task runner of its own).
 * `evenIfExited`: also when n8n itself is gone, for children that may outlive it.
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals, evenIfExited = false): void {
	const exited = child.exitCode !== null || child.signalCode !== null;
	if (child.pid === undefined || (exited && !evenIfExited)) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		if (exited) return;
		try {
			child.kill(signal);
		} catch {
			// Already gone.
		}
	}
}

export interface StartOptions {
	/** The provisioned n8n; provisioned (or the cache reused) when absent. */
	install?: N8nInstall;
	userFolder: string;
	/** 0 or absent: a free port. */
	port?: number;
	/** Default `http://127.0.0.1:<port>/`. */
	webhookUrl?: string;
	env?: Record<string, string>;
	/** Also print n8n's output on our stderr. */
	echo?: boolean;
	startTimeoutMs?: number;
}

const running = new Set<N8nProcess>();
process.once('exit', () => {
	for (const n8n of running) n8n.killNow();
});

interface ResolvedStartOptions extends StartOptions {
	install: N8nInstall;
}

export class N8nProcess {
	readonly baseUrl: string;
	readonly webhookUrl: string;
	private child: ChildProcess | undefined;
	private output = '';
	private readonly logFile: WriteStream;
	private exited: Promise<void> = Promise.resolve();

	constructor(
		private readonly opts: ResolvedStartOptions,
		readonly port: number,
		readonly brokerPort: number,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.webhookUrl = opts.webhookUrl ?? `${this.baseUrl}/`;
		mkdirSync(opts.userFolder, { recursive: true });
		this.logFile = createWriteStream(path.join(opts.userFolder, 'n8n.log'), { flags: 'a' });
	}

	get userFolder(): string {
		return this.opts.userFolder;
	}

	get install(): N8nInstall {
		return this.opts.install;
	}

	/** Everything n8n printed (stdout and stderr) since this handle was created. */
	get logs(): string {
		return this.output;
	}

	/** A position in `logs`, for `logsSince`. */
	logMark(): number {
		return this.output.length;
	}

	logsSince(mark: number): string {
		return this.output.slice(mark);
	}

	/** n8n's main process (not its task runner), while it runs. */
	get pid(): number | undefined {
		return this.isRunning ? this.child?.pid : undefined;
	}

	get isRunning(): boolean {
		return (
			this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
		);
	}

	async start(): Promise<void> {
		if (this.isRunning) throw new Error('n8n is already running');
		const started = Date.now();
		const mark = this.logMark();
		const env = n8nEnv(this.opts.userFolder, {
			N8N_PORT: String(this.port),
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: this.webhookUrl,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			...this.opts.env,
		});
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: running n8n is the point
		const child = spawn(this.opts.install.node, [this.opts.install.bin, 'start'], {
			cwd: this.opts.userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.child = child;
		running.add(this);
		this.exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
		const capture = (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			this.output += text;
			this.logFile.write(text);
			if (this.opts.echo) process.stderr.write(text);
		};
		child.stdout?.on('data', capture);
		child.stderr?.on('data', capture);
		child.on('close', () => running.delete(this));

		const deadline = started + (this.opts.startTimeoutMs ?? 240_000);
		for (;;) {
			if (!this.isRunning) {
				throw new Error(`n8n exited during start-up:\n${this.logsSince(mark).slice(-4000)}`);
			}
			if (this.logsSince(mark).includes(READY_LINE)) {
				const health = await httpRequest(`${this.baseUrl}/healthz`, { timeoutMs: 5_000 }).catch(
					() => undefined,
				);
				if (health?.status === 200) return;
			}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(`n8n did not become ready in time:\n${this.logsSince(mark).slice(-4000)}`);
			}
			await sleep(250);
		}
	}

	/** SIGTERM, then SIGKILL if n8n is still there after 20 s. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child || !this.isRunning) return;
		killGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const killed = await Promise.race([
			this.exited.then(() => true),
			new Promise<boolean>((resolve) => {
				timer = setTimeout(() => resolve(false), KILL_AFTER_MS);
			}),
		]);
		clearTimeout(timer);
		if (!killed) {
			killGroup(child, 'SIGKILL');
			await this.exited;
		}
		// The task runner may outlive its parent for a moment.
		killGroup(child, 'SIGKILL', true);
		this.child = undefined;
	}

	/** SIGKILL to n8n and its task runner, as a crash would; resolves once they are gone. */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child) return;
		killGroup(child, 'SIGKILL', true);
		await this.exited;
		this.child = undefined;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	/** Synchronous last resort when our own process exits. */
	killNow(): void {
		if (this.child) killGroup(this.child, 'SIGKILL');
	}

	async close(): Promise<void> {
		await this.stop();
		await new Promise<void>((resolve) => this.logFile.end(() => resolve()));
	}
}

/** Starts n8n and resolves once it has started up and answers GET /healthz with 200. */
export async function startN8n(opts: StartOptions): Promise<N8nProcess> {
	const port = opts.port ? opts.port : await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const install = opts.install ?? (await provision());
	const n8n = new N8nProcess({ ...opts, install }, port, brokerPort);
	await n8n.start();
	return n8n;
}
