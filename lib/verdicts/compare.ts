import { ERROR_CLASSES, type ErrorClass } from '../../schema/vocabulary.ts';
import { clusteredMeanDiff, pairedMeanDiff, type Clusters } from './bootstrap.ts';
import type { CampaignData, TrialData } from './campaign-data.ts';
import { newcombeDiff, type Interval } from './intervals.ts';
import { campaignReport, DEFAULT_REPORT_OPTIONS, moduleClusters, type ReportOptions } from './report.ts';
import { seededRng } from './rng.ts';

export const VERDICTS = ['regressed', 'improved', 'unchanged', 'insufficient'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface CompareOptions extends ReportOptions {
  /** Smallest drop (or rise) of a module's mean rating that counts, in stars. */
  minRatingEffect: number;
  /** Smallest rise (or drop) of a tool's error rate that counts, as a fraction (0.05 = 5 points). */
  minErrorRateEffect: number;
  /**
   * Fewest personas (bootstrap clusters) with ratings of a module — on each side, or with pairs when
   * paired — for a module verdict; fewer is `insufficient`. A percentile bootstrap over two or three
   * clusters has almost no distinct resamples: two personas whose paired differences happen to be equal
   * give a zero-width interval and a confident "regressed" from four ratings.
   */
  minPersonas: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  ...DEFAULT_REPORT_OPTIONS,
  minRatingEffect: 0.3,
  minErrorRateEffect: 0.05,
  minPersonas: 5,
};

export interface ModuleComparison {
  module: string;
  baseline: { mean: number; n: number };
  candidate: { mean: number; n: number };
  /** candidate − baseline, with its interval at the report's level (95 %). */
  diff: Interval;
  /** The interval the verdict uses (family-wise level, see `verdictLevel`). */
  verdictInterval: Interval;
  paired: boolean;
  verdict: Verdict;
}

export interface ToolComparison {
  tool: string;
  baseline: { calls: number; errors: number; rate: number };
  candidate: { calls: number; errors: number; rate: number };
  diff: Interval;
  verdictInterval: Interval;
  diffByClass: Record<ErrorClass, Interval>;
  verdict: Verdict;
}

/**
 * Judges one direction: the interval must exclude zero on that side AND the estimate must pass the
 * minimum effect. `worse` is +1 when a higher value is bad (error rates), −1 when lower is (ratings).
 */
function judge(iv: Interval, worse: 1 | -1, minEffect: number): Verdict {
  if (!Number.isFinite(iv.lo) || !Number.isFinite(iv.hi)) return 'insufficient';
  const bad = worse === 1 ? iv.lo > 0 && iv.estimate >= minEffect : iv.hi < 0 && -iv.estimate >= minEffect;
  const good = worse === 1 ? iv.hi < 0 && -iv.estimate >= minEffect : iv.lo > 0 && iv.estimate >= minEffect;
  return bad ? 'regressed' : good ? 'improved' : 'unchanged';
}

/** Per persona, candidate − baseline of the trials both campaigns ran with the same seed. */
function pairedClusters(a: readonly TrialData[], b: readonly TrialData[], module: string): Clusters {
  const bySeed = new Map(b.filter((t) => t.trialSeed).map((t) => [`${t.personaId}|${t.trialSeed}`, t]));
  const c: Clusters = new Map();
  for (const ta of a) {
    const tb = bySeed.get(`${ta.personaId}|${ta.trialSeed}`);
    const ra = ta.ratings[module];
    const rb = tb?.ratings[module];
    if (ra !== undefined && rb !== undefined) c.set(ta.personaId, [...(c.get(ta.personaId) ?? []), rb - ra]);
  }
  return c;
}

export function compareCampaigns(
  base: CampaignData,
  cand: CampaignData,
  opts: CompareOptions = DEFAULT_COMPARE_OPTIONS,
) {
  const baseline = campaignReport(base, opts);
  const candidate = campaignReport(cand, opts);
  const rng = seededRng(`${opts.seed}:${base.campaign.id}:${cand.campaign.id}`);
  // Paired when both ran the same seeds: every trial of one has its twin in the other.
  const seeds = (d: CampaignData) => new Set(d.trials.map((t) => `${t.personaId}|${t.trialSeed ?? ''}`));
  const sa = seeds(base);
  const sb = seeds(cand);
  const paired =
    base.trials.every((t) => t.trialSeed) && [...sa].filter((s) => sb.has(s)).length >= sa.size / 2;

  const modules = [...new Set([...Object.keys(baseline.modules), ...Object.keys(candidate.modules)])].sort();
  const tools = [...new Set([...Object.keys(baseline.tools), ...Object.keys(candidate.tools)])].sort();
  // Many modules and tools are judged at once: at 95 % each, some would "regress" by chance in
  // almost every comparison. The verdict uses Bonferroni's family-wise level; the 95 % intervals
  // are still shown.
  const tests = Math.max(1, modules.length + tools.length);
  const verdictLevel = 1 - (1 - opts.level) / tests;

  const moduleResults: ModuleComparison[] = modules.map((m) => {
    const a = moduleClusters(base.trials, m);
    const b = moduleClusters(cand.trials, m);
    const pc = paired ? pairedClusters(base.trials, cand.trials, m) : undefined;
    const usePaired = !!pc && pc.size >= 2;
    const diffAt = (level: number) =>
      usePaired
        ? pairedMeanDiff(pc, rng, level, opts.resamples)
        : clusteredMeanDiff(a, b, rng, level, opts.resamples);
    const diff = diffAt(opts.level);
    const verdictInterval = diffAt(verdictLevel);
    const clusters = usePaired ? pc.size : Math.min(a.size, b.size);
    return {
      module: m,
      baseline: { mean: baseline.modules[m]?.estimate ?? NaN, n: baseline.modules[m]?.n ?? 0 },
      candidate: { mean: candidate.modules[m]?.estimate ?? NaN, n: candidate.modules[m]?.n ?? 0 },
      diff,
      verdictInterval,
      paired: usePaired,
      verdict:
        clusters < opts.minPersonas ? 'insufficient' : judge(verdictInterval, -1, opts.minRatingEffect),
    };
  });

  const toolResults: ToolComparison[] = tools.map((tool) => {
    const a = baseline.tools[tool];
    const b = candidate.tools[tool];
    const [ka, na, kb, nb] = [a?.errors ?? 0, a?.calls ?? 0, b?.errors ?? 0, b?.calls ?? 0];
    const verdictInterval = newcombeDiff(ka, na, kb, nb, verdictLevel);
    return {
      tool,
      baseline: { calls: na, errors: ka, rate: a?.rate.estimate ?? 0 },
      candidate: { calls: nb, errors: kb, rate: b?.rate.estimate ?? 0 },
      diff: newcombeDiff(ka, na, kb, nb, opts.level),
      verdictInterval,
      diffByClass: Object.fromEntries(
        ERROR_CLASSES.map((e) => [
          e,
          newcombeDiff(a?.byClass[e].errors ?? 0, na, b?.byClass[e].errors ?? 0, nb, opts.level),
        ]),
      ) as Record<ErrorClass, Interval>,
      verdict: na && nb ? judge(verdictInterval, 1, opts.minErrorRateEffect) : 'insufficient',
    };
  });

  const flagged = (v: Verdict) => [
    ...moduleResults.filter((r) => r.verdict === v).map((r) => `module ${r.module}`),
    ...toolResults.filter((r) => r.verdict === v).map((r) => `tool ${r.tool}`),
  ];
  return {
    baseline,
    candidate,
    paired,
    level: opts.level,
    verdictLevel,
    minRatingEffect: opts.minRatingEffect,
    minErrorRateEffect: opts.minErrorRateEffect,
    minPersonas: opts.minPersonas,
    modules: moduleResults,
    tools: toolResults,
    regressed: flagged('regressed'),
    improved: flagged('improved'),
  };
}

export type Comparison = ReturnType<typeof compareCampaigns>;
