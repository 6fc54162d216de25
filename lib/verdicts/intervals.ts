// The interval of one campaign's mean (`personas report`): each persona's mean counts once, and a
// t interval with G − 1 degrees of freedom over the G persona means — a persona's trials are alike
// (same character, same habits), so the personas, not the trials, are the sample.
import { tQuantile } from './student-t.ts';

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/** Mean of `values` (one per persona) with its t interval at `level`; one value has no interval. */
export function meanInterval(values: readonly number[], level: number, range?: [number, number]): Interval {
  const g = values.length;
  if (!g) return { mean: NaN, lo: NaN, hi: NaN };
  const mean = values.reduce((s, x) => s + x, 0) / g;
  if (g < 2) return { mean, lo: NaN, hi: NaN };
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (g - 1));
  const half = (tQuantile(1 - (1 - level) / 2, g - 1) * sd) / Math.sqrt(g);
  const [min, max] = range ?? [-Infinity, Infinity];
  return { mean, lo: Math.max(min, mean - half), hi: Math.min(max, mean + half) };
}
