/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not shipped in the package */
/** Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the time went, by function and file. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileLine {
	name: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	byFunction: ProfileLine[];
	byFile: ProfileLine[];
	/** Self time within the inclusive time of the `focus` function, by function (empty without focus). */
	focus: ProfileLine[];
	focusMs: number;
	/** Self time of all files whose path contains each of the given substrings. */
	groups: ProfileLine[];
}

function shortUrl(url: string, root: string): string {
	if (url === '') return '(native)';
	const clean = url.replace(/^file:\/\//, '');
	if (clean.startsWith(root)) return path.relative(root, clean);
	const nm = clean.lastIndexOf('node_modules/');
	return nm >= 0 ? clean.slice(nm) : clean;
}

function isCpuProfile(value: unknown): value is CpuProfile {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return Array.isArray(v.nodes) && Array.isArray(v.samples) && Array.isArray(v.timeDeltas);
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
	return [...map.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
}

/**
 * Self time per function and per file; with `focus` (a function name), also the self time of
 * everything that ran beneath that function, so harness code is left out.
 */
export function summariseProfile(file: string, root: string, focus?: string, n = 15, groups: string[] = []): ProfileSummary {
	const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
	if (!isCpuProfile(parsed)) throw new Error(`${file} is not a V8 CPU profile`);
	const byId = new Map<number, ProfileNode>(parsed.nodes.map((node) => [node.id, node]));
	const self = new Map<number, number>();
	for (let i = 0; i < parsed.samples.length; i++) {
		const id = parsed.samples[i];
		self.set(id, (self.get(id) ?? 0) + (parsed.timeDeltas[i] ?? 0));
	}
	const label = (node: ProfileNode) => {
		const f = node.callFrame;
		const where = shortUrl(f.url, root);
		// tsx's transform moves lines in .ts files, so only plain JavaScript keeps a line number.
		const line = f.url === '' || f.url.endsWith('.ts') ? '' : `:${f.lineNumber + 1}`;
		return `${f.functionName || '(anonymous)'} ${where}${line}`;
	};

	const fnTotals = new Map<string, number>();
	const fileTotals = new Map<string, number>();
	let total = 0;
	for (const [id, us] of self) {
		const node = byId.get(id);
		if (!node) continue;
		total += us;
		const key = label(node);
		fnTotals.set(key, (fnTotals.get(key) ?? 0) + us);
		const fileKey = node.callFrame.url === '' ? node.callFrame.functionName || '(native)' : shortUrl(node.callFrame.url, root);
		fileTotals.set(fileKey, (fileTotals.get(fileKey) ?? 0) + us);
	}

	const focusTotals = new Map<string, number>();
	let focusMs = 0;
	if (focus) {
		// Walk down from every node named `focus`; nested calls of it are counted once.
		const stack: Array<{ id: number; inside: boolean }> = [{ id: parsed.nodes[0]?.id ?? -1, inside: false }];
		let guard = 0;
		while (stack.length > 0 && guard++ < 5_000_000) {
			const { id, inside } = stack.pop() as { id: number; inside: boolean };
			const node = byId.get(id);
			if (!node) continue;
			const nowInside = inside || node.callFrame.functionName === focus;
			if (nowInside) {
				const us = self.get(id) ?? 0;
				focusMs += us / 1000;
				const key = label(node);
				focusTotals.set(key, (focusTotals.get(key) ?? 0) + us);
			}
			for (const child of node.children ?? []) stack.push({ id: child, inside: nowInside });
		}
	}
	const groupLines = groups.map((pattern) => {
		let us = 0;
		for (const [fileKey, value] of fileTotals) if (fileKey.includes(pattern)) us += value;
		return { name: pattern, ms: us / 1000, share: total > 0 ? us / total : 0 };
	});
	return {
		groups: groupLines,
		totalMs: total / 1000,
		byFunction: top(fnTotals, total, n),
		byFile: top(fileTotals, total, n),
		focus: top(focusTotals, focusMs * 1000, n),
		focusMs,
	};
}

export function linesTable(what: string, lines: ProfileLine[]): string {
	const rows = lines.map((l) => `| ${l.name.replace(/\|/g, '\\|')} | ${l.ms.toFixed(1)} | ${(l.share * 100).toFixed(1)}% |`);
	return [`| ${what} | ms | share |`, '|---|---:|---:|', ...rows].join('\n');
}

export function profileMarkdown(summary: ProfileSummary): string {
	const parts: string[] = [];
	if (summary.focus.length > 0) {
		parts.push(
			`Self time beneath \`judgeDelivery\` (${summary.focusMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms sampled):\n\n${linesTable('function', summary.focus)}`,
		);
	}
	parts.push(`Self time by file (whole profile):\n\n${linesTable('file', summary.byFile)}`);
	return parts.join('\n\n');
}
