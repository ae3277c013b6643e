/**
 * Reads the "flatted" format n8n stores execution data in (and returns from
 * GET /rest/executions/<id>): a JSON array whose first entry is the root, where every string
 * inside an object or array is the index (as a string) of the real value in the array.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function parseFlatted(text: string): unknown {
	const input = JSON.parse(text) as unknown;
	if (!Array.isArray(input) || input.length === 0) return input;
	const table = input as Json[];
	const resolved = new Map<number, unknown>();

	const revive = (index: number): unknown => {
		if (resolved.has(index)) return resolved.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			resolved.set(index, value);
			return value;
		}
		if (Array.isArray(value)) {
			const out: unknown[] = [];
			resolved.set(index, out);
			for (const entry of value) out.push(resolveEntry(entry));
			return out;
		}
		const out: Record<string, unknown> = {};
		resolved.set(index, out);
		for (const [key, entry] of Object.entries(value)) out[key] = resolveEntry(entry);
		return out;
	};

	const resolveEntry = (entry: Json): unknown => {
		if (typeof entry === 'string' && /^\d+$/.test(entry)) return revive(Number(entry));
		return entry;
	};

	return revive(0);
}
