/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/**
 * Installs the package into an n8n user folder AS USERS GET IT: the tarball `npm pack` makes,
 * unpacked the way n8n 2.41.1's community-package installer does it
 * (dist/modules/community-packages/community-packages.service.js, downloadPackage): extracted into
 * `<user folder>/.n8n/nodes/node_modules/<name>`, its package.json stripped of dev, peer and
 * optional dependencies, `npm install --ignore-scripts` in it, and the name recorded in
 * `<user folder>/.n8n/nodes/package.json`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { ACTION_TYPE, PACKAGE_NAME, TRIGGER_TYPE } from './nodeTypes';
import { runN8nCli } from './process';
import { provision, REPO_DIR, type N8nInstall } from './provision';

export * from './nodeTypes';

const execFileAsync = promisify(execFile);

export interface Installed {
	version: string;
	packageDir: string;
	/** sha256 of the tarball: the same bytes were installed (and verified) before when it matches. */
	tarballSha256: string;
	/** What `n8n export:nodes` listed of ours; empty when verification was skipped (cache hit). */
	verifiedNodeTypes: string[];
	ms: { pack: number; install: number; verify: number };
}

interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
}

async function npm(args: string[], cwd: string): Promise<string> {
	const result = await execFileAsync('npm', args, {
		cwd,
		maxBuffer: 64 * 1024 * 1024,
		timeout: 10 * 60_000,
	}).then(
		({ stdout }) => ({ ok: true as const, stdout }),
		(error: { stdout?: string; stderr?: string; message: string }) => ({
			ok: false as const,
			error,
		}),
	);
	if (result.ok) return result.stdout;
	const { stderr = '', stdout = '', message } = result.error;
	throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stderr}${stdout}${message}`);
}

/**
 * `npm pack` of the repository (its prepack runs the build), installed into `userFolder` as n8n's
 * installer would, then checked with `n8n export:nodes` that n8n loads both node types. The check
 * is skipped when the very same tarball was verified in this folder before.
 */
export async function packAndInstall(
	userFolder: string,
	install?: N8nInstall,
	{
		repoDir = REPO_DIR,
		verify = true,
		skipBuild = false,
	}: {
		repoDir?: string;
		verify?: boolean;
		/** Pack without running prepack (the build): only right after `npm run build`. */
		skipBuild?: boolean;
	} = {},
): Promise<Installed> {
	const t0 = Date.now();
	const packDir = mkdtempSync(path.join(tmpdir(), 'whatsable-pack-'));
	try {
		const packArgs = ['pack', '--pack-destination', packDir, '--silent'];
		if (skipBuild) packArgs.push('--ignore-scripts');
		await npm(packArgs, repoDir);
		const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
		if (tarballs.length !== 1)
			throw new Error(`npm pack made ${tarballs.length} tarballs in ${packDir}`);
		const tarball = path.join(packDir, tarballs[0]);
		const tarballSha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
		const t1 = Date.now();

		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		rmSync(packageDir, { recursive: true, force: true });
		mkdirSync(packageDir, { recursive: true });
		await execFileAsync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

		const pkgFile = path.join(packageDir, 'package.json');
		const full = JSON.parse(readFileSync(pkgFile, 'utf8')) as PackageJson;
		const { devDependencies, peerDependencies, optionalDependencies, ...stripped } = full;
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		writeFileSync(pkgFile, JSON.stringify(stripped, null, 2), 'utf8');
		await npm(
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			packageDir,
		);

		recordInstalled(nodesDir, PACKAGE_NAME, full.version);
		const t2 = Date.now();

		let verifiedNodeTypes: string[] = [];
		const marker = path.join(userFolder, 'harness-verified-tarball');
		const alreadyVerified =
			existsSync(marker) && readFileSync(marker, 'utf8').trim() === tarballSha256;
		if (verify && !alreadyVerified) {
			verifiedNodeTypes = await verifyNodesLoad(userFolder, install ?? (await provision()));
			writeFileSync(marker, tarballSha256 + '\n');
		}
		return {
			version: full.version,
			packageDir,
			tarballSha256,
			verifiedNodeTypes,
			ms: { pack: t1 - t0, install: t2 - t1, verify: Date.now() - t2 },
		};
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

/** Records a package in `<user folder>/.n8n/nodes/package.json`, as n8n's installer does. */
function recordInstalled(nodesDir: string, name: string, version: string): void {
	const nodesPkgFile = path.join(nodesDir, 'package.json');
	const nodesPkg = existsSync(nodesPkgFile)
		? (JSON.parse(readFileSync(nodesPkgFile, 'utf8')) as { dependencies?: Record<string, string> })
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesPkg.dependencies = { ...nodesPkg.dependencies, [name]: version };
	writeFileSync(nodesPkgFile, JSON.stringify(nodesPkg, null, 2), 'utf8');
}

/**
 * Copies a dependency-free local package (its folder as it is, no pack, no build) into the user
 * folder beside ours: the benchmark's pass-through anchor. Returns its name.
 */
export function installLocalPackage(userFolder: string, packageDir: string): string {
	const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as PackageJson;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	rmSync(target, { recursive: true, force: true });
	cpSync(packageDir, target, { recursive: true });
	recordInstalled(nodesDir, pkg.name, pkg.version);
	return pkg.name;
}

/** `n8n export:nodes`: throws unless n8n lists our trigger and action node types. */
export async function verifyNodesLoad(userFolder: string, install: N8nInstall): Promise<string[]> {
	const out = path.join(mkdtempSync(path.join(tmpdir(), 'whatsable-nodes-')), 'nodes.json');
	try {
		const result = await runN8nCli(install, userFolder, ['export:nodes', `--output=${out}`]);
		if (result.code !== 0 || !existsSync(out)) {
			throw new Error(
				`n8n export:nodes failed (exit ${String(result.code)}):\n${(result.stdout + result.stderr).slice(-3000)}`,
			);
		}
		const nodes = JSON.parse(readFileSync(out, 'utf8')) as Array<{ name?: string }>;
		const ours = nodes
			.map((n) => n.name ?? '')
			.filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
		for (const type of [TRIGGER_TYPE, ACTION_TYPE]) {
			if (!ours.includes(type)) {
				throw new Error(
					`n8n did not load ${type} from the packed package (it listed: ${ours.join(', ') || 'none of ours'}):\n${(result.stdout + result.stderr).slice(-3000)}`,
				);
			}
		}
		return ours;
	} finally {
		rmSync(path.dirname(out), { recursive: true, force: true });
	}
}
