/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: runs npm pack */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeType } from 'n8n-workflow';

import { outputSchemaFiles } from '../scripts/schemas/outputSchemas';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

/** The icon files the built nodes point at (`file:` paths are relative to the node's folder). */
function iconsOfBuiltNodes(): string[] {
	return pkg.n8n.nodes.flatMap((entry) => {
		const nodeFile = path.join(root, entry);
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- the shipped build, not the source
		const exported = require(nodeFile) as Record<string, new () => INodeType>;
		return Object.values(exported).flatMap((NodeClass) => {
			const { icon } = new NodeClass().description;
			const refs = typeof icon === 'string' ? [icon] : Object.values(icon ?? {});
			return refs.map((ref) =>
				path.relative(root, path.resolve(path.dirname(nodeFile), ref.replace(/^file:/, ''))),
			);
		});
	});
}

/** What `npm pack` would put in the tarball (needs `npm run build` first, as CI does). */
function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [result] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	return result.files.map((f) => f.path).sort();
}

describe('the published package', () => {
	test('the tarball holds only the built package, README, LICENSE and package.json; the n8n block, icons and output schemas point inside it', () => {
		expect(existsSync(path.join(root, 'dist'))).toBe(true);
		const files = packedFiles();
		const outside = files.filter(
			(f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f),
		);
		expect(outside).toEqual([]);
		expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		const icons = iconsOfBuiltNodes();
		expect(icons.length).toBeGreaterThan(0);
		for (const icon of icons) expect(files).toContain(icon);
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		// The output schemas the editor previews (built by scripts/schemas/build.ts).
		for (const { file } of outputSchemaFiles()) expect(files).toContain(file);
		expect(files).toContain('README.md');
		expect(files).toContain('LICENSE');
	});
});
