import { ERROR_CLASSES, type ErrorClass } from '../../schema/vocabulary.ts';
import { clusteredMean, DEFAULT_RESAMPLES, type Clusters } from './bootstrap.ts';
import type { CampaignData, TrialData } from './campaign-data.ts';
import { wilson, type Interval } from './intervals.ts';
import { seededRng } from './rng.ts';

export interface ReportOptions {
  /** A trial passes only if no module is rated below this. */
  passRating: number;
  level: number;
  resamples: number;
  /** Seed of the bootstrap's RNG. */
  seed: string;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
  passRating: 3,
  level: 0.95,
  resamples: DEFAULT_RESAMPLES,
  seed: 'persona-runner',
};

export interface ModuleStats extends Interval {
  n: number;
  personas: number;
}

export interface ToolStats {
  calls: number;
  errors: number;
  /** All errors over all calls. */
  rate: Interval;
  byClass: Record<ErrorClass, { errors: number; rate: Interval }>;
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

/** Ratings of one module, grouped by persona. */
export function moduleClusters(trials: readonly TrialData[], module: string): Clusters {
  const c: Clusters = new Map();
  for (const t of trials) {
    const r = t.ratings[module];
    if (r !== undefined) c.set(t.personaId, [...(c.get(t.personaId) ?? []), r]);
  }
  return c;
}

export function toolStats(trials: readonly TrialData[], level: number): Record<string, ToolStats> {
  const counts = new Map<string, { calls: number; byClass: Record<ErrorClass, number> }>();
  for (const t of trials)
    for (const a of t.actions) {
      const c = counts.get(a.tool) ?? {
        calls: 0,
        byClass: Object.fromEntries(ERROR_CLASSES.map((e) => [e, 0])) as Record<ErrorClass, number>,
      };
      c.calls++;
      if (a.errorClass) c.byClass[a.errorClass]++;
      counts.set(a.tool, c);
    }
  return Object.fromEntries(
    [...counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tool, c]) => {
        const errors = ERROR_CLASSES.reduce((s, e) => s + c.byClass[e], 0);
        return [
          tool,
          {
            calls: c.calls,
            errors,
            rate: wilson(errors, c.calls, level),
            byClass: Object.fromEntries(
              ERROR_CLASSES.map((e) => [
                e,
                { errors: c.byClass[e], rate: wilson(c.byClass[e], c.calls, level) },
              ]),
            ) as ToolStats['byClass'],
          },
        ];
      }),
  );
}

/** The numbers of one campaign: `personas report`, and each side of `personas compare`. */
export function campaignReport(
  data: CampaignData,
  opts: ReportOptions = DEFAULT_REPORT_OPTIONS,
): CampaignReport {
  const { campaign: c, trials } = data;
  const rng = seededRng(`${opts.seed}:${c.id}`);
  const completed = trials.filter((t) => t.status === 'completed').length;
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
    completion: { ...wilson(completed, trials.length, opts.level), completed },
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
        const clusters = moduleClusters(trials, m);
        return [
          m,
          {
            ...clusteredMean(clusters, rng, opts.level, opts.resamples),
            n: [...clusters.values()].reduce((s, g) => s + g.length, 0),
            personas: clusters.size,
          },
        ];
      }),
    ),
    tools: toolStats(trials, opts.level),
  };
}
