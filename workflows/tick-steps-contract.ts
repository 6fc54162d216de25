// What the tick workflow and its activities exchange, step by step (login → model calls and tool
// calls → rating → persist). Both sides import these; nothing else does. Bundled into the workflow
// sandbox: pure definitions only.
import {
  isRatedModule,
  type GoalOutcome,
  type GoalSource,
  type ActionOutcome,
  type ErrorClass,
  type TickOutcome,
  type TokenUsage,
} from '../schema/vocabulary.ts';
import type { TickCampaign } from './tick-contract.ts';

/** One tool call as the tick records it (a persona_actions row). */
export interface ActionRecord {
  seq: number;
  round: number;
  toolName: string;
  toolUseId: string;
  module: string | undefined;
  inputHash: string;
  outcome: ActionOutcome;
  errorClass: ErrorClass | undefined;
  /** The products file's rule that classed the error (`errors.persona[0] ^ENOENT`), if one did. */
  errorRule?: string;
  /** A short text of the result, or of the error. */
  resultSummary: string;
  latencyMs: number;
}

/** One module's rating (a persona_feedback row); `rating` is null for the `__parse` row. */
export interface FeedbackRecord {
  module: string;
  rating: number | null;
  notes: string;
}

export interface LoginInput {
  personaId: string;
  tickId: string;
  runId: string;
  campaign?: TickCampaign;
}

export interface LoginResult {
  tickId: string;
  personaId: string;
  userId: string;
  archetype: string;
  cadence: string;
  provider: string;
  model: string;
  /** The persona is paused in the database (kill switch): the tick waits for a resume signal. */
  paused?: boolean;
  /** The goals of this tick (the persona's, sampled by the seed); none when it has none. */
  goals?: TickGoal[];
}

export interface ModelCallInput {
  tickId: string;
  personaId: string;
  round: number;
  maxTokens?: number;
  /** The scripted persona's seed (a campaign's trial seed); the tick id when absent. */
  seed?: string;
  /**
   * The tick's actions so far, when one of them used a rated module: if the model ends its turn, the
   * same activity asks the rating turn at once, and the workflow needs no `rate` activity.
   */
  rateOnEnd?: RatingInput['actions'];
}

export interface ModelCallResult {
  stopReason: string | null;
  /** Tool calls requested in this round, in the model's order; inputs stay in Postgres. */
  toolUses: Array<{ id: string; name: string }>;
  usage: TokenUsage;
  costUsd: number;
  /**
   * The rating turn, asked in the same activity (`rateOnEnd`) when the model ended its turn. Absent
   * when it was not asked, or when it failed: then the workflow runs the `rate` activity, whose
   * retries never repeat the main turn's paid call.
   */
  rating?: RatingResult;
}

export interface ToolCallInput {
  tickId: string;
  personaId: string;
  round: number;
  toolUseId: string;
  toolName: string;
}

export type ToolCallResult = Omit<ActionRecord, 'seq' | 'round'>;

export interface RatingInput {
  tickId: string;
  personaId: string;
  /** The tick's seed (a campaign's trial seed, else the tick id): which goals it has. */
  seed?: string;
  actions: Array<Pick<ActionRecord, 'module' | 'toolName' | 'outcome' | 'errorClass'>>;
}

/** What the rating turn is told of each action. */
export const ratingActions = (actions: readonly ActionRecord[]): RatingInput['actions'] =>
  actions.map(({ module, toolName, outcome, errorClass }) => ({ module, toolName, outcome, errorClass }));

/** The modules a tick's rating turn asks about: those of its actions that are rated, sorted, once each. */
export function ratedModules(actions: ReadonlyArray<Pick<ActionRecord, 'module'>>): string[] {
  return [...new Set(actions.flatMap((a) => (isRatedModule(a.module) ? [a.module] : [])))].sort();
}

export interface RatingResult {
  feedback: FeedbackRecord[];
  /** The persona's own word on its goals without a check, by goal id. */
  goals?: Record<string, SelfReport>;
  /** Set when the model left out a module it used (the ratings it gave are kept). */
  ratingError: string | undefined;
  usage: TokenUsage;
  costUsd: number;
}

export interface PersistInput {
  tickId: string;
  personaId: string;
  status: TickOutcome;
  endReason: string;
  rounds: number;
  actions: ActionRecord[];
  feedback: FeedbackRecord[];
  usage: TokenUsage;
  costUsd: number;
  ratingError: string | undefined;
  failure: string | undefined;
  /** How the tick's goals ended (none when it has none). */
  goals?: GoalRecord[];
  historyLength: number;
  /** The history's size in bytes when persist was scheduled. */
  historyBytes: number;
  startedAtMs: number;
}

/** A persona's own account of a goal, from the rating turn. */
export interface SelfReport {
  achieved: boolean;
  why: string;
}

/** A goal of one tick, as the workflow carries it: which goal, its module, who judges it. */
export interface TickGoal {
  goalId: string;
  module: string;
  source: GoalSource;
}

export interface GoalCheckInput {
  tickId: string;
  personaId: string;
  /** The goals to check (those with a check). */
  goalIds: string[];
}

/** How one goal of a tick ended (a persona_goals row). */
export interface GoalRecord {
  goalId: string;
  module: string;
  source: GoalSource;
  outcome: GoalOutcome;
  /** The check's result, trimmed (sealed when the tool has encrypted fields), or why there is none. */
  evidence?: unknown;
  selfReport?: SelfReport;
}

/**
 * How a tick's goals ended: a checked goal by its check (`check-error` when it has none, e.g. the step
 * failed); a self-reported one by the persona's word (`not-attempted` without one).
 */
export function goalRecords(
  goals: readonly TickGoal[],
  checked: readonly GoalRecord[],
  reports: Record<string, SelfReport> = {},
  checkFailure?: string,
): GoalRecord[] {
  return goals.map((g): GoalRecord => {
    if (g.source === 'checked')
      return (
        checked.find((c) => c.goalId === g.goalId) ?? {
          ...g,
          outcome: 'check-error',
          evidence: checkFailure ?? 'not checked',
        }
      );
    const r = reports[g.goalId];
    return r
      ? { ...g, outcome: r.achieved ? 'achieved' : 'failed', selfReport: r }
      : { ...g, outcome: 'not-attempted', evidence: 'the persona did not say' };
  });
}
