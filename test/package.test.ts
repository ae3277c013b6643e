/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling, not shipped in the package: runs npm pack */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	keywords: string[];
	license: string;
};

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
	test('is a community node package with an n8n block, MIT, and no runtime dependencies', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
	});

	test('the tarball holds only the built package, README, LICENSE and package.json, and the n8n block points inside it', () => {
		expect(existsSync(path.join(root, 'dist'))).toBe(true);
		const files = packedFiles();
		const outside = files.filter(
			(f) => !f.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(f),
		);
		expect(outside).toEqual([]);
		expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		for (const asset of ['dist/icons/whatsable.svg', 'dist/icons/whatsable.dark.svg']) {
			expect(files).toContain(asset);
		}
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/\.js$/, '.json'));
		// The output schemas the editor previews (built by scripts/schemas/build.ts).
		expect(files).toContain('dist/nodes/WhatsAbleWebhooksTrigger/__schema__/v1.1.0.json');
		expect(files).toContain('dist/nodes/WhatsAbleWebhooks/__schema__/v1.0.0/webhook/getAll.json');
		expect(files).toContain('README.md');
		expect(files).toContain('LICENSE');
	});
});
