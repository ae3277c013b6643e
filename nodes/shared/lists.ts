/** A list parameter as users give it: an array, or one comma-separated string; trimmed, no empties. */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}
