/** Small statistics helpers for the benchmarks. */

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}

/**
 * Relative spread of a sample: (max - min) / |median|, to show how noisy a figure is (never
 * negative: a growth figure's median can be).
 */
export function spread(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	return (Math.max(...values) - Math.min(...values)) / Math.abs(median(values));
}

/** 12345.6 -> "12,346"; small numbers keep `digits` decimals. */
export function fmt(value: number, digits = 0): string {
	if (!Number.isFinite(value)) return String(value);
	return value.toLocaleString('en-US', {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	});
}

export function fmtRatio(value: number): string {
	return Number.isFinite(value) ? `${value.toFixed(2)}x` : String(value);
}

/** Half the range over the median, as a fraction: the `spread` of bench/results.json. */
export function halfRangeSpread(values: readonly number[]): number {
	return spread(values) / 2;
}
