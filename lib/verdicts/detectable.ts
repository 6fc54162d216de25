// The smallest effect a row could have seen: the shift of every persona's difference that the
// one-sided test at the row's level would flag with 80 % power, from the spread of the differences
// this run observed (a t approximation of the sign-flip test at the level it can actually attain).
// And how many trials per persona would bring it down to the minimum effect: the spread splits into
// what differs between personas (more trials do not shrink it) and trial-to-trial noise (÷ trials).
import { EXACT_UP_TO, personasNeeded, tooFew } from './sign-flip.ts';
import { tQuantile } from './student-t.ts';
import type { PersonaDifference } from './trial-values.ts';

export const POWER = 0.8;
/** The most trials per persona `personas run` allows. */
const MAX_TRIALS = 100;

export interface Detectable {
  /** The smallest detectable effect (same unit as the row), or null when the row cannot detect any. */
  effect: number | null;
  /** Trials per persona for the detectable effect to reach the minimum effect; null when trials alone cannot. */
  trialsNeeded: number | null;
  /** Why there is no number, in words. */
  note?: string;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sumSq = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0);
};

/** Pooled within-persona variance of per-trial values, and how many trials stand behind each persona's mean. */
function withinPersona(diffs: readonly PersonaDifference[]): {
  variance: number;
  dof: number;
  trials: number;
} {
  let ss = 0;
  let dof = 0;
  let trials = 0;
  for (const d of diffs) {
    if (d.pairs.length) {
      ss += sumSq(d.pairs);
      dof += d.pairs.length - 1;
      trials += d.pairs.length;
    } else {
      // Unpaired: both sides' noise adds up; its mean weighs like the harmonic mean of the two counts.
      ss += sumSq(d.baseline) + sumSq(d.candidate);
      dof += d.baseline.length + d.candidate.length - 2;
      trials += 2 / (1 / d.baseline.length + 1 / d.candidate.length);
    }
  }
  const unpaired = diffs.some((d) => !d.pairs.length);
  // Unpaired, the variance is the two sides' noise summed (each side's mean carries its own).
  const variance = dof > 0 ? (ss / dof) * (unpaired ? 2 : 1) : NaN;
  return { variance, dof, trials: trials / diffs.length };
}

export function detectable(diffs: readonly PersonaDifference[], tail: number, minEffect: number): Detectable {
  const g = diffs.length;
  const need = personasNeeded(tail);
  if (g < need) return { effect: null, trialsNeeded: null, note: tooFew(g, tail) };
  // The level the exact test can reach at this many personas (its p-values are multiples of 2^−G).
  const attained = g <= EXACT_UP_TO ? Math.floor(tail * 2 ** g) / 2 ** g : tail;
  const q = tQuantile(1 - attained, g - 1) + tQuantile(POWER, g - 1);
  const spread = sumSq(diffs.map((d) => d.difference)) / (g - 1);
  const effect = (q * Math.sqrt(spread)) / Math.sqrt(g);
  const w = withinPersona(diffs);
  if (!(w.variance > 0)) return { effect, trialsNeeded: null, note: 'no trial-to-trial spread to shrink' };
  const between = Math.max(0, spread - w.variance / w.trials);
  const room = (g * minEffect ** 2) / q ** 2 - between;
  if (room <= 0)
    return { effect, trialsNeeded: null, note: 'personas differ too much: more personas, not trials' };
  const k = Math.ceil(w.variance / room);
  return k > MAX_TRIALS
    ? { effect, trialsNeeded: null, note: `more than ${MAX_TRIALS} trials` }
    : { effect, trialsNeeded: Math.max(1, k) };
}
