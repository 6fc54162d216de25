// The interval of one campaign's mean (`personas report`): each persona's mean counts once, and a
// t interval with G − 1 degrees of freedom over the G persona means — a persona's trials are alike
// (same character, same habits), so the personas, not the trials, are the sample.
import { tQuantile, zQuantile } from './student-t.ts';

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

/**
 * A share (completion, an error rate) over personas: the t interval; when every persona's share is the
 * same (all 0, or all 1) the t interval has no spread to go on and collapses to a point, so Wilson's
 * score interval with one observation per persona stands in — "no call of 4 personas failed" is not
 * a certainty.
 */
export function shareInterval(values: readonly number[], level: number): Interval {
  const t = meanInterval(values, level, [0, 1]);
  const g = values.length;
  if (!g || t.hi > t.lo) return t;
  const z = zQuantile(1 - (1 - level) / 2);
  const z2 = z * z;
  const centre = (t.mean + z2 / (2 * g)) / (1 + z2 / g);
  const half = (z / (1 + z2 / g)) * Math.sqrt((t.mean * (1 - t.mean)) / g + z2 / (4 * g * g));
  return { mean: t.mean, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
