// What each verdict row measures, per trial: a rating, a tool's error share, whether the trial
// completed and was rated, whether it passed. Trials are keyed by persona and trial seed, so the two
// campaigns' trials of one day pair up; each persona then contributes one difference (candidate −
// baseline): the mean of its paired differences, or the difference of its means when its trials ran
// other seeds.
import type { ErrorClass } from '../../schema/vocabulary.ts';
import type { CampaignData, TrialData } from './campaign-data.ts';

/** persona id → trial key (its seed) → value. */
export type TrialValues = Map<string, Map<string, number>>;

export interface PersonaDifference {
  personaId: string;
  /** candidate − baseline: the mean of the paired differences, else the difference of the means. */
  difference: number;
  /** Per-trial differences of the seeds both campaigns ran (empty when unpaired). */
  pairs: number[];
  baseline: number[];
  candidate: number[];
}

/** The errors that judge a tool: the product's and the infrastructure's, not the persona's or policy's. */
export const JUDGED_ERRORS: readonly ErrorClass[] = ['product', 'infra'];

const trialKey = (t: TrialData) => t.trialSeed ?? t.tickId;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function collect(trials: readonly TrialData[], value: (t: TrialData) => number | undefined): TrialValues {
  const out: TrialValues = new Map();
  for (const t of trials) {
    const v = value(t);
    if (v === undefined) continue;
    const mine = out.get(t.personaId) ?? new Map<string, number>();
    mine.set(trialKey(t), v);
    out.set(t.personaId, mine);
  }
  return out;
}

/** The module's rating in each trial that rated it. */
export const ratingValues = (d: CampaignData, module: string) => collect(d.trials, (t) => t.ratings[module]);

/** Share of the tool's calls in each trial that failed with one of `classes` (trials that called it). */
export function errorShareValues(d: CampaignData, tool: string, classes: readonly ErrorClass[]) {
  return collect(d.trials, (t) => {
    const calls = t.actions.filter((a) => a.tool === tool);
    if (!calls.length) return undefined;
    return calls.filter((a) => a.errorClass && classes.includes(a.errorClass)).length / calls.length;
  });
}

/**
 * Per trial, the share of its checked goals that were achieved — of one module (`{ module }`) or one
 * goal (`{ goal }`). A check that could not run (`check-error`) or a goal the persona did not attempt
 * says nothing about the product's end state: it does not count. Self-reported goals are never judged
 * with checked ones.
 */
export const goalValues = (d: CampaignData, which: { module: string } | { goal: string }) =>
  collect(d.trials, (t) => {
    const judged = Object.entries(t.goals).filter(
      ([id, g]) =>
        g.source === 'checked' &&
        (g.outcome === 'achieved' || g.outcome === 'failed') &&
        ('module' in which ? g.module === which.module : id === which.goal),
    );
    if (!judged.length) return undefined;
    return judged.filter(([, g]) => g.outcome === 'achieved').length / judged.length;
  });

/** Whether a trial counted for the module or tool at all (for a row the candidate lost entirely). */
export function usageValues(d: CampaignData, kind: 'module' | 'tool', name: string): TrialValues {
  return collect(d.trials, (t) =>
    Number(kind === 'module' ? t.ratings[name] !== undefined : t.actions.some((a) => a.tool === name)),
  );
}

/** A trial that completed and rated what it used (a day without any tool call has nothing to rate). */
export const completedAndRated = (t: TrialData) =>
  t.status === 'completed' && (Object.keys(t.ratings).length > 0 || t.actions.length === 0);

/** 1 when the trial completed and rated what it used, else 0. */
export const completionValues = (d: CampaignData) => collect(d.trials, (t) => Number(completedAndRated(t)));

/** 1 when the trial passed (see trialPasses), else 0. */
export const passValues = (d: CampaignData, passes: (t: TrialData) => boolean) =>
  collect(d.trials, (t) => Number(passes(t)));

/**
 * Trials one campaign ran and the other did not (a tick that never started, a campaign cut short)
 * count as 0 — not completed, not passed — instead of dropping out of the pairing: a persona of
 * both campaigns gets the other's seeds it lacks, or zeros up to its campaign's trial count.
 */
export function withMissingTrials(a: TrialValues, b: TrialValues, trialsA: number, trialsB: number): void {
  for (const [persona, va] of a) {
    const vb = b.get(persona);
    if (!vb) continue;
    const shared = [...va.keys()].some((k) => vb.has(k));
    if (shared) {
      for (const k of va.keys()) if (!vb.has(k)) vb.set(k, 0);
      for (const k of vb.keys()) if (!va.has(k)) va.set(k, 0);
    } else {
      // Keys of their own side: padding never pairs with padding.
      for (let i = va.size; i < trialsA; i++) va.set(`missing-baseline-${i}`, 0);
      for (let i = vb.size; i < trialsB; i++) vb.set(`missing-candidate-${i}`, 0);
    }
  }
}

/** One difference per persona with values on both sides, in persona id order. */
export function personaDifferences(base: TrialValues, cand: TrialValues): PersonaDifference[] {
  const out: PersonaDifference[] = [];
  for (const personaId of [...base.keys()].sort()) {
    const b = base.get(personaId)!;
    const c = cand.get(personaId);
    if (!c?.size || !b.size) continue;
    const pairs = [...b.entries()].filter(([k]) => c.has(k)).map(([k, v]) => c.get(k)! - v);
    const baseline = [...b.values()];
    const candidate = [...c.values()];
    out.push({
      personaId,
      difference: pairs.length ? mean(pairs) : mean(candidate) - mean(baseline),
      pairs,
      baseline,
      candidate,
    });
  }
  return out;
}

/** One side of a row: the mean over personas of each persona's mean, and what it rests on. */
export interface SideSummary {
  mean: number;
  personas: number;
  trials: number;
}

export function sideSummary(v: TrialValues): SideSummary {
  const means = [...v.values()].filter((m) => m.size).map((m) => mean([...m.values()]));
  return {
    mean: means.length ? mean(means) : NaN,
    personas: means.length,
    trials: [...v.values()].reduce((s, m) => s + m.size, 0),
  };
}
