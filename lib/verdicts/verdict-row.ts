// One row of a comparison — completion, pass^1, a module's ratings, a tool's error share — from
// its per-persona differences to its verdict.
import { detectable, type Detectable } from './detectable.ts';
import type { Interval } from './intervals.ts';
import {
  flipInterval,
  personasNeeded,
  personasText,
  pValue,
  signFlip,
  smallestP,
  tooFew,
  type SignFlip,
} from './sign-flip.ts';
import {
  personaDifferences,
  sideSummary,
  type PersonaDifference,
  type SideSummary,
  type TrialValues,
} from './trial-values.ts';

export const VERDICTS = [
  'regressed',
  'missing',
  'improved',
  'unchanged',
  'inconclusive',
  'insufficient',
] as const;
export type Verdict = (typeof VERDICTS)[number];
/** Verdicts that fail the gate (exit 1). */
export const FAILING: readonly Verdict[] = ['regressed', 'missing'];

export const ROW_KINDS = ['completion', 'pass', 'goal', 'module', 'tool'] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** Comparisons of numbers that are equal on paper (3.7 − 4.0 against 0.3) must come out equal. */
const TOLERANCE = 1e-9;
/** The displayed interval: 95 %, two-sided. */
const DISPLAY_TAIL = 0.025;

export interface RowInput {
  kind: RowKind;
  name: string;
  unit: 'stars' | 'share';
  /** +1 when a higher value is worse (error shares), −1 when a lower one is (ratings, completion). */
  worse: 1 | -1;
  minEffect: number;
  baseline: TrialValues;
  candidate: TrialValues;
  /** For a module or tool the candidate never rated or called: usage per trial, judged instead. */
  usage?: { baseline: TrialValues; candidate: TrialValues };
}

/** A row's test before the family is chosen. */
export interface RowTest {
  input: RowInput;
  diffs: PersonaDifference[];
  flip: SignFlip;
  /** The row is judged on whether it was used at all (it vanished from the candidate). */
  vanished: boolean;
  /** Nothing to test: why. */
  untestable?: string;
}

export interface VerdictRow {
  kind: RowKind;
  name: string;
  unit: 'stars' | 'share';
  /**
   * `usage` when the candidate never rated or called it: the difference and its intervals are then
   * the share of trials that used it (unit `share`), not the row's own measure.
   */
  judgedOn: 'value' | 'usage';
  baseline: SideSummary;
  candidate: SideSummary;
  /** Personas with a difference, and how many of those differ at all. */
  personas: number;
  differing: number;
  paired: boolean;
  /** candidate − baseline, equal weight per persona, with its 95 % interval. */
  difference: Interval;
  /** The interval the verdict reads, at `verdictLevel` (each side one-sided at the row's level). */
  verdictInterval: Interval;
  verdictLevel: number;
  /** One-sided p-value toward worse (exact sign-flip test over personas). */
  pValue: number;
  inFamily: boolean;
  minEffect: number;
  detectable: Detectable;
  verdict: Verdict;
  /** What the verdict rests on, in words. */
  reason: string;
}

export function testRow(input: RowInput, seed: string): RowTest {
  const b = sideSummary(input.baseline);
  const c = sideSummary(input.candidate);
  const vanished = !!input.usage && b.personas > 0 && c.personas === 0;
  const diffs = vanished
    ? personaDifferences(input.usage!.baseline, input.usage!.candidate)
    : personaDifferences(input.baseline, input.candidate);
  const flip = signFlip(
    diffs.map((d) => d.difference),
    seed,
  );
  const untestable = !b.personas
    ? 'not in the baseline'
    : !diffs.length
      ? 'no persona on both sides'
      : undefined;
  return { input, diffs, flip, vanished, ...(untestable && { untestable }) };
}

export const rowSmallestP = (t: RowTest) => (t.untestable ? 1 : smallestP(t.flip));

const fmt = (x: number, unit: RowInput['unit']) =>
  unit === 'stars' ? `${x.toFixed(2)}★` : `${(x * 100).toFixed(1)} points`;

export function judgeRow(t: RowTest, tail: number, inFamily: boolean): VerdictRow {
  const { input, flip, diffs } = t;
  const shown = flipInterval(flip, DISPLAY_TAIL);
  const judged = flipInterval(flip, tail);
  // A vanished row is judged on usage, where less is worse whatever the row measures.
  const lower = t.vanished || input.worse === -1;
  const p = pValue(flip, lower);
  const pBetter = pValue(flip, !lower);
  const det: Detectable = t.untestable
    ? { effect: null, trialsNeeded: null, note: t.untestable }
    : t.vanished
      ? { effect: null, trialsNeeded: null, note: 'judged on whether it was used' }
      : detectable(diffs, tail, input.minEffect);
  const row: Omit<VerdictRow, 'verdict' | 'reason'> = {
    kind: input.kind,
    name: input.name,
    unit: input.unit,
    judgedOn: t.vanished ? 'usage' : 'value',
    baseline: sideSummary(input.baseline),
    candidate: sideSummary(input.candidate),
    personas: flip.personas,
    differing: flip.differing,
    paired: diffs.length > 0 && diffs.every((d) => d.pairs.length > 0),
    difference: { mean: flip.mean, ...shown },
    verdictInterval: { mean: flip.mean, ...judged },
    verdictLevel: 1 - 2 * tail,
    pValue: p,
    inFamily,
    minEffect: input.minEffect,
    detectable: det,
  };
  const need = personasNeeded(tail);
  if (t.untestable) return { ...row, verdict: 'insufficient', reason: t.untestable };
  if (t.vanished) {
    const used = `used by ${personasText(flip.differing)} in the baseline, never in the candidate`;
    return inFamily && p <= tail
      ? { ...row, verdict: 'missing', reason: used }
      : { ...row, verdict: 'insufficient', reason: `${used}; need ${need} to call it missing` };
  }
  const effect = input.worse * flip.mean;
  const min = input.minEffect - TOLERANCE;
  if (inFamily && p <= tail && effect >= min)
    return {
      ...row,
      verdict: 'regressed',
      reason: `worse by at least the minimum ${fmt(input.minEffect, input.unit)}`,
    };
  if (inFamily && pBetter <= tail && -effect >= min)
    return {
      ...row,
      verdict: 'improved',
      reason: `better by at least the minimum ${fmt(input.minEffect, input.unit)}`,
    };
  const bound = input.minEffect + TOLERANCE;
  if (judged.lo >= -bound && judged.hi <= bound)
    return { ...row, verdict: 'unchanged', reason: `within ±${fmt(input.minEffect, input.unit)}` };
  if (flip.personas < need) return { ...row, verdict: 'insufficient', reason: tooFew(flip.personas, tail) };
  if (inFamily && p <= tail)
    return {
      ...row,
      verdict: 'inconclusive',
      reason: `worse, but not surely by the minimum ${fmt(input.minEffect, input.unit)}`,
    };
  const could = det.effect === null ? (det.note ?? '') : `could detect ${fmt(det.effect, input.unit)}`;
  const trials =
    det.trialsNeeded !== null && det.effect !== null && det.effect > input.minEffect
      ? `; ${det.trialsNeeded} trials per persona would detect ${fmt(input.minEffect, input.unit)}`
      : det.effect !== null && det.note
        ? `; ${det.note}`
        : '';
  // Left out of the family: too few personas changed at all for the test to reach the level.
  const few = inFamily
    ? ''
    : `only ${flip.differing} of ${personasText(flip.personas)} differ, need ${need}; `;
  return { ...row, verdict: 'inconclusive', reason: `${few}${could}${trials}` };
}
