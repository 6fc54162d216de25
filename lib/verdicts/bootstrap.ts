// Percentile bootstrap intervals for mean ratings, resampling whole personas (clusters): a persona's
// ratings across trials are correlated (same character, same habits), so resampling single ratings
// would understate the uncertainty. Every draw comes from a seeded RNG, so intervals reproduce.
import type { Interval } from './intervals.ts';

// Enough draws for the tails of the family-wise verdict intervals (e.g. 99.7 %).
export const DEFAULT_RESAMPLES = 4000;

/** Observations grouped by cluster (persona id → values). */
export type Clusters = Map<string, number[]>;

const total = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

function clusteredMeanOnce(groups: readonly number[][], rng: () => number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[Math.floor(rng() * groups.length)]!;
    sum += total(g);
    n += g.length;
  }
  return n ? sum / n : NaN;
}

function percentiles(draws: number[], level: number): { lo: number; hi: number } {
  const ok = draws.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const at = (q: number) => ok[Math.min(ok.length - 1, Math.max(0, Math.floor(q * ok.length)))]!;
  return { lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2) };
}

const groupsOf = (c: Clusters) => [...c.values()].filter((g) => g.length > 0);
const meanOf = (groups: readonly number[][]) => total(groups.map(total)) / total(groups.map((g) => g.length));

/** Mean of all observations with a cluster-bootstrap interval. */
export function clusteredMean(
  c: Clusters,
  rng: () => number,
  level = 0.95,
  resamples = DEFAULT_RESAMPLES,
): Interval {
  const groups = groupsOf(c);
  if (!groups.length) return { estimate: NaN, lo: NaN, hi: NaN };
  const draws = Array.from({ length: resamples }, () => clusteredMeanOnce(groups, rng));
  return { estimate: meanOf(groups), ...percentiles(draws, level) };
}

/** Difference of means (b − a) of two independent samples, each resampled by cluster. */
export function clusteredMeanDiff(
  a: Clusters,
  b: Clusters,
  rng: () => number,
  level = 0.95,
  resamples = DEFAULT_RESAMPLES,
): Interval {
  const ga = groupsOf(a);
  const gb = groupsOf(b);
  if (!ga.length || !gb.length) return { estimate: NaN, lo: NaN, hi: NaN };
  const draws = Array.from(
    { length: resamples },
    () => clusteredMeanOnce(gb, rng) - clusteredMeanOnce(ga, rng),
  );
  return { estimate: meanOf(gb) - meanOf(ga), ...percentiles(draws, level) };
}

/**
 * Paired difference: `c` holds, per persona, the differences b − a of trials that share a seed.
 * Pairing removes what the two trials had in common (the same day, the same choices), so a real
 * change shows with far fewer trials than two independent samples need.
 */
export function pairedMeanDiff(
  c: Clusters,
  rng: () => number,
  level = 0.95,
  resamples = DEFAULT_RESAMPLES,
): Interval {
  return clusteredMean(c, rng, level, resamples);
}
