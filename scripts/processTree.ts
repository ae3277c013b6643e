/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
/**
 * The processes a dev command started, read from Linux's /proc (the real-n8n harness is
 * Linux-only): `npm start` uses it to stop whatever is still running below it when it stops, and
 * its test to prove nothing is left.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
	pid: number;
	ppid: number;
	/** R, S, D, Z (zombie: exited, only waiting for its parent to read its status), ... */
	state: string;
}

function statOf(pid: number): ProcStat | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
		const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { pid, state, ppid: Number(ppid) };
	} catch {
		return undefined;
	}
}

/** Whether the process exists and has not exited (a zombie has). */
export function isAlive(pid: number): boolean {
	const stat = statOf(pid);
	return stat !== undefined && stat.state !== 'Z';
}

/** The live processes below `root` (children, their children, ...), parents before children. */
export function descendantsOf(root: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const stat = statOf(Number(entry));
		if (!stat || stat.state === 'Z') continue;
		children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
	}
	const found: number[] = [];
	const queue = [root];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		for (const child of children.get(pid) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

/** Signals a process and, when it leads one, its process group; quiet when it is already gone. */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
	for (const target of [-pid, pid]) {
		try {
			process.kill(target, signal);
		} catch {
			// Not a group leader, or already gone.
		}
	}
}
