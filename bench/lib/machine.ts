/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not shipped in the package */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export interface MachineInfo {
	nproc: number;
	cpuModel: string;
	memoryGiB: number;
	node: string;
	platform: string;
	date: string;
	/** 1, 5 and 15 minute load averages when the run started (other work on the machine skews figures). */
	loadAverage: string;
}

/** `nproc` (CPUs this process may use), the CPU model from /proc/cpuinfo and total memory. */
export function machineInfo(): MachineInfo {
	let cpuModel = os.cpus()[0]?.model ?? 'unknown';
	try {
		const line = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((l) => l.startsWith('model name'));
		if (line) cpuModel = line.split(':').slice(1).join(':').trim();
	} catch {
		// Not Linux: os.cpus() it is.
	}
	return {
		nproc: os.availableParallelism(),
		cpuModel,
		memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		date: new Date().toISOString(),
		loadAverage: os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' / '),
	};
}

export function machineLine(m: MachineInfo): string {
	return `${m.nproc} CPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.platform}, Node ${m.node}`;
}
