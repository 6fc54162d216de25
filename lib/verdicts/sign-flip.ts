// The exact sign-flip (randomization) test over personas, and the interval that inverts it.
//
// Each persona contributes one number: its mean paired difference (candidate − baseline). If the
// release changed nothing, which campaign a persona's trials came from is arbitrary, so each
// difference is as likely negative as positive: every pattern of flipped signs is equally likely.
// The p-value counts the patterns whose mean is at least as extreme as the one observed — exact at
// any number of personas, with no assumption about how ratings are spread. A pattern flips a set A
// of personas; it is at least as low as the observation, for a shift δ, exactly when the mean of the
// differences in A is ≥ δ (Hartigan's subset means). So one sorted list of subset means gives the
// p-value at every δ, and its order statistics are the interval (the shifts the test does not reject)
// at any level: the 95 % interval and the verdict's interval come from the same list.
import { seededRng } from './rng.ts';

/** Up to this many personas every pattern is enumerated (2^16 subset means); beyond, a seeded sample. */
export const EXACT_UP_TO = 16;
/** Sign patterns drawn when there are more personas than EXACT_UP_TO. */
export const MONTE_CARLO_DRAWS = 65_535;

// Differences are means of small integers (stars) or of shares: snapping to 1e-12 makes subset means
// that are equal in exact arithmetic equal in floating point, so ties count as ties.
const snap = (x: number) => Math.round(x * 1e12) / 1e12;

export interface SignFlip {
  /** Personas (differences). */
  personas: number;
  /** Personas whose difference is not zero: only they can move the statistic. */
  differing: number;
  /** Mean of the differences. */
  mean: number;
  /** Subset means of the compared patterns, ascending. */
  means: Float64Array;
  /** Compared patterns that flip nobody who differs: they always count as extreme. */
  always: number;
  /** Patterns in all, the observed one included. */
  total: number;
  exact: boolean;
}

function enumerate(d: readonly number[]): { means: Float64Array; always: number; total: number } {
  const n = d.length;
  const total = 2 ** n;
  const sums = new Float64Array(total);
  const sizes = new Uint8Array(total);
  const means = new Float64Array(total - 1);
  for (let mask = 1; mask < total; mask++) {
    const low = 31 - Math.clz32(mask & -mask);
    const rest = mask & (mask - 1);
    sums[mask] = sums[rest]! + d[low]!;
    sizes[mask] = sizes[rest]! + 1;
    means[mask - 1] = snap(sums[mask]! / sizes[mask]!);
  }
  // The empty flip is the observation itself.
  return { means, always: 1, total };
}

function sample(d: readonly number[], seed: string): { means: Float64Array; always: number; total: number } {
  const rng = seededRng(seed);
  const kept: number[] = [];
  let always = 1;
  for (let r = 0; r < MONTE_CARLO_DRAWS; r++) {
    let sum = 0;
    let size = 0;
    // One draw of the generator gives the signs of 32 personas (its 32 bits).
    let bits = 0;
    for (let i = 0; i < d.length; i++) {
      if (i % 32 === 0) bits = Math.floor(rng() * 4294967296);
      if ((bits >>> (i % 32)) & 1) {
        sum += d[i]!;
        size++;
      }
    }
    if (size === 0) always++;
    else kept.push(snap(sum / size));
  }
  return { means: Float64Array.from(kept), always, total: MONTE_CARLO_DRAWS + 1 };
}

/** The sign-flip distribution of `differences`; `seed` is used only beyond EXACT_UP_TO personas. */
export function signFlip(differences: readonly number[], seed: string): SignFlip {
  const d = differences.map(snap);
  const exact = d.length <= EXACT_UP_TO;
  const { means, always, total } = exact ? enumerate(d) : sample(d, seed);
  means.sort();
  return {
    personas: d.length,
    differing: d.filter((x) => x !== 0).length,
    mean: d.length ? snap(d.reduce((s, x) => s + x, 0) / d.length) : NaN,
    means,
    always,
    total,
    exact,
  };
}

/** How many of the ascending `xs` are below x (binary search). */
function below(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One-sided p-value against "no change": `lower` asks whether the differences are below zero (a
 * pattern is as extreme when its subset mean is ≥ 0), else whether they are above (≤ 0).
 */
export function pValue(s: SignFlip, lower: boolean): number {
  if (!s.personas) return 1;
  const n = s.means.length;
  const extreme = lower ? n - below(s.means, 0) : below(s.means, Number.MIN_VALUE);
  return (s.always + extreme) / s.total;
}

/** The smallest p-value the test could give with these personas, whatever the signs. */
export function smallestP(s: SignFlip): number {
  if (!s.personas) return 1;
  if (s.exact) return 2 ** -s.differing;
  // Sampled patterns that flip nobody who differs, as `always` counts them for all-zero data.
  return Math.max(2 ** -s.differing, 1 / s.total);
}

/**
 * The shifts the one-sided tests at level `tail` each do not reject: [lo, hi] covers the true
 * shift with probability ≥ 1 − 2·tail. A side the data cannot bound is infinite.
 */
export function flipInterval(s: SignFlip, tail: number): { lo: number; hi: number } {
  if (!s.personas) return { lo: NaN, hi: NaN };
  // A shift is kept while more than tail·total patterns are at least as extreme: at least j of the
  // subset means, with `always` counted in.
  const j = Math.floor(tail * s.total - s.always) + 1;
  if (j <= 0) return { lo: -Infinity, hi: Infinity };
  const n = s.means.length;
  if (j > n) return { lo: NaN, hi: NaN };
  return { lo: s.means[j - 1]!, hi: s.means[n - j]! };
}

/** The fewest personas at which an exact test can reach level `tail` at all (2^−G ≤ tail). */
export const personasNeeded = (tail: number) => Math.ceil(Math.log2(1 / tail) - 1e-9);

/** "1 persona", "5 personas". */
export const personasText = (n: number) => `${n} persona${n === 1 ? '' : 's'}`;

/** Why a row cannot be judged: "4 personas, need 6". */
export const tooFew = (personas: number, tail: number) =>
  `${personasText(personas)}, need ${personasNeeded(tail)}`;
