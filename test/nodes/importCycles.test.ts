/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package: reads the source tree */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/*
 * No import cycles in nodes/: a module in a cycle runs before its imports are ready (commonjs),
 * and the cycle usually means two modules own one thing. Type-only imports count too: they are
 * still a dependency a reader has to follow.
 */
const root = path.resolve(__dirname, '../..');
const nodes = path.join(root, 'nodes');
const options: ts.CompilerOptions = { moduleResolution: ts.ModuleResolutionKind.Node10 };

function importsOf(file: string): string[] {
	const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return importedFiles
		.map((i) => ts.resolveModuleName(i.fileName, file, options, ts.sys).resolvedModule)
		.filter((m) => m !== undefined && !m.isExternalLibraryImport)
		.map((m) => m!.resolvedFileName)
		.filter((f) => f.startsWith(nodes) && f.endsWith('.ts'));
}

/** Each cycle met by a depth-first walk, as the files from the first one back to it. */
function cyclesIn(graph: Map<string, string[]>): string[][] {
	const cycles: string[][] = [];
	const done = new Set<string>();
	const walk = (file: string, trail: string[]): void => {
		const at = trail.indexOf(file);
		if (at >= 0) {
			cycles.push(trail.slice(at).map((f) => path.relative(root, f)));
			return;
		}
		if (done.has(file)) return;
		for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
		done.add(file);
	};
	for (const file of graph.keys()) walk(file, []);
	return cycles;
}

test('no module in nodes/ imports itself through others', () => {
	const files = ts.sys.readDirectory(nodes, ['.ts']);
	const graph = new Map(files.map((f) => [f, importsOf(f)]));
	expect([...graph.values()].flat().length).toBeGreaterThan(100);
	expect(cyclesIn(graph)).toEqual([]);
});
