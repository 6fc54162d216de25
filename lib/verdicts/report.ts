import { ERROR_CLASSES, type ErrorClass } from '../../schema/vocabulary.ts';
import type { CampaignData, TrialData } from './campaign-data.ts';
import { goalStats, type GoalStats } from './goal-stats.ts';
import { meanInterval, shareInterval, type Interval } from './intervals.ts';
import { completedAndRated, completionValues, ratingValues, type TrialValues } from './trial-values.ts';

export interface ReportOptions {
  /** A trial passes only if no module is rated below this. */
  passRating: number;
  /** Confidence of the report's intervals; in `compare`, the family-wise confidence of its verdicts. */
  level: number;
  /** Seeds the sampled sign patterns of a comparison with more personas than are enumerated. */
  seed: string;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
  passRating: 3,
  level: 0.95,
  seed: 'persona-runner',
};

/** A module's mean rating (equal weight per persona) with its interval, and what it rests on. */
export interface ModuleStats extends Interval {
  ratings: number;
  personas: number;
}

export interface ToolStats {
  calls: number;
  /** Errors of every class. */
  errors: number;
  errorsByClass: Record<ErrorClass, number>;
  /** Share of calls that failed, equal weight per persona, with its interval. */
  rate: Interval;
}

export interface CampaignReport {
  campaign: {
    id: string;
    label: string;
    status: string;
    provider: string;
    model: string;
    trials: number;
    personas: number;
    seedBase: string;
    codeVersion: string;
    promptVersion: string;
    catalogHash: string;
    productFingerprint: Record<string, string>;
    startedAt: string;
    endedAt: string | null;
  };
  ticks: number;
  /** Share of trials that completed and were rated (equal weight per persona). */
  completion: Interval & { completed: number };
  /** pass^k (τ²-bench): the chance that k trials of the same persona all pass, averaged over personas. */
  passK: {
    threshold: number;
    byK: Record<string, number>;
    perPersona: Array<{ personaId: string; trials: number; passed: number; passAll: boolean }>;
  };
  tokensPerTick: number;
  costPerTickUsd: number;
  modules: Record<string, ModuleStats>;
  tools: Record<string, ToolStats>;
  /** Goal success per goal, and per module (checked and self-reported apart). */
  goals: Record<string, GoalStats>;
  goalModules: Record<string, GoalStats>;
}

/** A trial passes when it completed with no product or infra error and no module rated below the threshold. */
export const trialPasses = (t: TrialData, threshold: number) =>
  t.status === 'completed' &&
  !t.actions.some((a) => a.errorClass === 'product' || a.errorClass === 'infra') &&
  Object.values(t.ratings).every((r) => r >= threshold);

const choose = (n: number, k: number) => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** Each persona's mean over its trials. */
const personaMeans = (v: TrialValues) => [...v.values()].map((m) => mean([...m.values()]));

export function toolStats(trials: readonly TrialData[], level: number): Record<string, ToolStats> {
  const byTool = new Map<
    string,
    { calls: number; errorsByClass: Record<ErrorClass, number>; shares: Map<string, number[]> }
  >();
  for (const t of trials)
    for (const a of t.actions) {
      const s = byTool.get(a.tool) ?? {
        calls: 0,
        errorsByClass: Object.fromEntries(ERROR_CLASSES.map((e) => [e, 0])) as Record<ErrorClass, number>,
        shares: new Map<string, number[]>(),
      };
      s.calls++;
      if (a.errorClass) s.errorsByClass[a.errorClass]++;
      const mine = s.shares.get(t.personaId) ?? [0, 0];
      mine[0]! += a.errorClass ? 1 : 0;
      mine[1]! += 1;
      s.shares.set(t.personaId, mine);
      byTool.set(a.tool, s);
    }
  return Object.fromEntries(
    [...byTool.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tool, s]) => [
        tool,
        {
          calls: s.calls,
          errors: ERROR_CLASSES.reduce((n, e) => n + s.errorsByClass[e], 0),
          errorsByClass: s.errorsByClass,
          rate: shareInterval(
            [...s.shares.values()].map(([errors, calls]) => errors! / calls!),
            level,
          ),
        },
      ]),
  );
}

/** The numbers of one campaign: `personas report`, and each side of `personas compare`. */
export function campaignReport(
  data: CampaignData,
  opts: ReportOptions = DEFAULT_REPORT_OPTIONS,
): CampaignReport {
  const { campaign: c, trials } = data;
  const completion = completionValues(data);
  const completed = trials.filter(completedAndRated).length;
  const perPersona = new Map<string, { trials: number; passed: number }>();
  for (const t of trials) {
    const p = perPersona.get(t.personaId) ?? { trials: 0, passed: 0 };
    p.trials++;
    if (trialPasses(t, opts.passRating)) p.passed++;
    perPersona.set(t.personaId, p);
  }
  const maxK = Math.max(...[...perPersona.values()].map((p) => p.trials));
  const byK: Record<string, number> = {};
  for (let k = 1; k <= maxK; k++) {
    const eligible = [...perPersona.values()].filter((p) => p.trials >= k);
    byK[k] = eligible.reduce((s, p) => s + choose(p.passed, k) / choose(p.trials, k), 0) / eligible.length;
  }
  const modules = [...new Set(trials.flatMap((t) => Object.keys(t.ratings)))].sort();
  return {
    campaign: {
      id: c.id,
      label: c.label,
      status: c.status,
      provider: c.provider,
      model: c.model,
      trials: c.trials,
      personas: c.personas,
      seedBase: c.seedBase,
      codeVersion: c.codeVersion,
      promptVersion: c.promptVersion,
      catalogHash: c.catalogHash,
      productFingerprint: c.productFingerprint,
      startedAt: c.startedAt.toISOString(),
      endedAt: c.endedAt?.toISOString() ?? null,
    },
    ticks: trials.length,
    completion: { ...shareInterval(personaMeans(completion), opts.level), completed },
    passK: {
      threshold: opts.passRating,
      byK,
      perPersona: [...perPersona.entries()].map(([personaId, p]) => ({
        personaId,
        ...p,
        passAll: p.passed === p.trials,
      })),
    },
    tokensPerTick: trials.reduce((s, t) => s + t.tokens, 0) / trials.length,
    costPerTickUsd: trials.reduce((s, t) => s + t.costUsd, 0) / trials.length,
    modules: Object.fromEntries(
      modules.map((m) => {
        const ratings = ratingValues(data, m);
        return [
          m,
          {
            ...meanInterval(personaMeans(ratings), opts.level, [1, 5]),
            ratings: [...ratings.values()].reduce((s, r) => s + r.size, 0),
            personas: ratings.size,
          },
        ];
      }),
    ),
    tools: toolStats(trials, opts.level),
    ...(({ goals, modules }) => ({ goals, goalModules: modules }))(goalStats(trials, opts.level)),
  };
}
