import { ERROR_CLASSES, type ErrorClass } from '../../schema/vocabulary.ts';
import type { CampaignData } from './campaign-data.ts';
import { chooseFamily } from './family.ts';
import { personasHurt, type PersonaHurt } from './persona-hurt.ts';
import {
  campaignReport,
  DEFAULT_REPORT_OPTIONS,
  trialPasses,
  type CampaignReport,
  type ReportOptions,
} from './report.ts';
import {
  completionValues,
  errorShareValues,
  goalValues,
  JUDGED_ERRORS,
  passValues,
  ratingValues,
  usageValues,
  withMissingTrials,
} from './trial-values.ts';
import { FAILING, judgeRow, rowSmallestP, testRow, type RowInput, type VerdictRow } from './verdict-row.ts';

export interface CompareOptions extends ReportOptions {
  /** Smallest drop (or rise) of a module's mean rating that counts, in stars. */
  minRatingEffect: number;
  /** Smallest rise (or drop) of a tool's error share that counts, as a fraction (0.05 = 5 points). */
  minErrorRateEffect: number;
  /** Smallest drop (or rise) of completion and of pass^1 that counts, as a fraction. */
  minCompletionEffect: number;
  /** Smallest drop (or rise) of a checked goal's success that counts, as a fraction. */
  minGoalEffect: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  ...DEFAULT_REPORT_OPTIONS,
  minRatingEffect: 0.3,
  minErrorRateEffect: 0.05,
  minCompletionEffect: 0.1,
  minGoalEffect: 0.1,
};

/** A tool's calls and errors per class on each side, reported beside its verdict. */
export interface ToolCounts {
  calls: number;
  errorsByClass: Record<ErrorClass, number>;
}

export type ToolRow = VerdictRow & { counts: { baseline: ToolCounts; candidate: ToolCounts } };

const PASS_ROW = 'pass^1';

/** A goal row: a module's checked goals (`goals · todos`), or one goal several personas share. */
interface GoalRowName {
  name: string;
  module?: string;
  goal?: string;
}

/**
 * The goal rows: one per module with checked goals — a goal usually belongs to one persona, and one
 * persona cannot carry a verdict — and one per checked goal that two or more personas share.
 */
function goalRows(a: CampaignReport, b: CampaignReport): GoalRowName[] {
  const checked = (r: CampaignReport) => Object.entries(r.goals).filter(([, s]) => s.source === 'checked');
  const modules = new Set([...checked(a), ...checked(b)].map(([, s]) => s.module));
  const shared = new Set([...checked(a), ...checked(b)].filter(([, s]) => s.personas >= 2).map(([id]) => id));
  return [
    ...[...modules].sort().map((m) => ({ name: `goals · ${m}`, module: m })),
    ...[...shared].sort().map((g) => ({ name: `goal ${g}`, goal: g })),
  ];
}
const label = (r: VerdictRow) => (r.kind === 'module' || r.kind === 'tool' ? `${r.kind} ${r.name}` : r.name);

/** The rows of a comparison, in the family's order of precedence: completion, pass^1, goals, modules, tools. */
function rowInputs(
  base: CampaignData,
  cand: CampaignData,
  opts: CompareOptions,
  modules: string[],
  tools: string[],
  goals: GoalRowName[],
) {
  const completion = { baseline: completionValues(base), candidate: completionValues(cand) };
  const pass = {
    baseline: passValues(base, (t) => trialPasses(t, opts.passRating)),
    candidate: passValues(cand, (t) => trialPasses(t, opts.passRating)),
  };
  for (const v of [completion, pass])
    withMissingTrials(v.baseline, v.candidate, base.campaign.trials, cand.campaign.trials);
  const share = { unit: 'share' as const, minEffect: opts.minCompletionEffect, worse: -1 as const };
  const inputs: RowInput[] = [
    { kind: 'completion', name: 'completion', ...share, ...completion },
    { kind: 'pass', name: PASS_ROW, ...share, ...pass },
    ...goals.map((g) => {
      const which = g.module ? { module: g.module } : { goal: g.goal! };
      return {
        kind: 'goal' as const,
        name: g.name,
        unit: 'share' as const,
        worse: -1 as const,
        minEffect: opts.minGoalEffect,
        baseline: goalValues(base, which),
        candidate: goalValues(cand, which),
      };
    }),
    ...modules.map((m) => ({
      kind: 'module' as const,
      name: m,
      unit: 'stars' as const,
      worse: -1 as const,
      minEffect: opts.minRatingEffect,
      baseline: ratingValues(base, m),
      candidate: ratingValues(cand, m),
      usage: { baseline: usageValues(base, 'module', m), candidate: usageValues(cand, 'module', m) },
    })),
    ...tools.map((t) => ({
      kind: 'tool' as const,
      name: t,
      unit: 'share' as const,
      worse: 1 as const,
      minEffect: opts.minErrorRateEffect,
      baseline: errorShareValues(base, t, JUDGED_ERRORS),
      candidate: errorShareValues(cand, t, JUDGED_ERRORS),
      usage: { baseline: usageValues(base, 'tool', t), candidate: usageValues(cand, 'tool', t) },
    })),
  ];
  return inputs;
}

export function compareCampaigns(
  base: CampaignData,
  cand: CampaignData,
  opts: CompareOptions = DEFAULT_COMPARE_OPTIONS,
) {
  const baseline = campaignReport(base, opts);
  const candidate = campaignReport(cand, opts);
  const modules = [...new Set([...Object.keys(baseline.modules), ...Object.keys(candidate.modules)])].sort();
  const tools = [...new Set([...Object.keys(baseline.tools), ...Object.keys(candidate.tools)])].sort();
  const goals = goalRows(baseline, candidate);
  // Paired when both ran the same seeds: every trial of one has its twin in the other.
  const seeds = (d: CampaignData) => new Set(d.trials.map((t) => `${t.personaId}|${t.trialSeed ?? ''}`));
  const sa = seeds(base);
  const sb = seeds(cand);
  const paired =
    base.trials.every((t) => t.trialSeed) && [...sa].filter((s) => sb.has(s)).length >= sa.size / 2;

  const tests = rowInputs(base, cand, opts, modules, tools, goals).map((input) =>
    // A seed per row (from its name): a row's numbers never depend on which rows came before it.
    testRow(input, `${opts.seed}:${input.kind}:${input.name}`),
  );
  const key = (i: RowInput) => `${i.kind}:${i.name}`;
  const family = chooseFamily(
    tests.flatMap((t, rank) =>
      t.untestable ? [] : [{ key: key(t.input), smallestP: rowSmallestP(t), rank }],
    ),
    1 - opts.level,
  );
  const rows = tests.map((t) => {
    const inFamily = family.members.has(key(t.input));
    return judgeRow(t, inFamily ? family.tail : family.outsideTail, inFamily);
  });
  const none = Object.fromEntries(ERROR_CLASSES.map((e) => [e, 0])) as Record<ErrorClass, number>;
  const counts = (r: typeof baseline, tool: string): ToolCounts => ({
    calls: r.tools[tool]?.calls ?? 0,
    errorsByClass: r.tools[tool]?.errorsByClass ?? none,
  });
  const toolRows: ToolRow[] = rows
    .filter((r) => r.kind === 'tool')
    .map((r) => ({
      ...r,
      counts: { baseline: counts(baseline, r.name), candidate: counts(candidate, r.name) },
    }));
  const named = (pick: (r: VerdictRow) => boolean) => rows.filter(pick).map(label);
  return {
    baseline,
    candidate,
    paired,
    /** Family-wise confidence: at most 1 − level of comparisons of an unchanged product flag anything. */
    level: opts.level,
    family: { rows: family.members.size, tail: family.tail },
    minEffects: {
      rating: opts.minRatingEffect,
      errorRate: opts.minErrorRateEffect,
      completion: opts.minCompletionEffect,
      goal: opts.minGoalEffect,
    },
    health: rows.filter((r) => r.kind === 'completion' || r.kind === 'pass'),
    /** Checked goals' success, judged; self-reported goals are in the reports, never judged with them. */
    goals: rows.filter((r) => r.kind === 'goal'),
    modules: rows.filter((r) => r.kind === 'module'),
    tools: toolRows,
    /** Rows that fail the gate: regressed or missing. */
    regressed: named((r) => FAILING.includes(r.verdict)),
    missing: named((r) => r.verdict === 'missing'),
    improved: named((r) => r.verdict === 'improved'),
    insufficient: named((r) => r.verdict === 'insufficient'),
    hurt: personasHurt(base, cand, modules, opts.minRatingEffect) satisfies PersonaHurt[],
  };
}

export type Comparison = ReturnType<typeof compareCampaigns>;
