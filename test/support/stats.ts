// The one set of summary statistics the harness reports with (benchmarks, and tests that print figures).

/** Nearest-rank percentile (p in 0..100) of values already sorted ascending; NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Nearest-rank percentile (p in 0..100) of the values, in any order; NaN when empty. */
export const percentile = (values: readonly number[], p: number): number =>
  percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );

/**
 * The middle value (the mean of the two middle ones for an even count), ignoring NaN; NaN when
 * nothing is left.
 */
export function median(values: readonly number[]): number {
  const s = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
