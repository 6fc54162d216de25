// The domain's words — the database's vocabulary — declared once. The drizzle enums (schema/), the zod
// schemas (catalog, config), the tick contract (workflows/), the gateway, the activities and the
// dashboard all derive from these tuples. No imports: the workflow bundle takes this file as it is
// (the one file outside workflows/ it may import).

/** The demo catalog's kinds of users; each has a scripted voice. Metrics label others `other`. */
export const BUILTIN_ARCHETYPES = [
  'adhd-student',
  'ceo-busy',
  'creative-parent',
  'solo-dev',
  'researcher',
  'freelancer',
  'overwhelmed-newbie',
] as const;
export type BuiltinArchetype = (typeof BUILTIN_ARCHETYPES)[number];

/** How often a persona lives a part of its day (in its own timezone). */
export const CADENCES = ['hourly', 'daily', 'weekdays'] as const;
export type Cadence = (typeof CADENCES)[number];

/**
 * Which side a failed action is on: the persona sent invalid input, the product's handler failed,
 * the policy gate denied it, or infrastructure (timeout, gateway down). In the order people read them.
 */
export const ERROR_CLASSES = ['persona', 'product', 'policy', 'infra'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];
export const isErrorClass = (v: unknown): v is ErrorClass => ERROR_CLASSES.includes(v as ErrorClass);

export const ACTION_OUTCOMES = ['ok', 'error'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

/** A tick row's status; `running` until persist writes how it ended. */
export const TICK_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type TickStatusName = (typeof TICK_STATUSES)[number];
/** How a tick can end (what the workflow returns and persists). */
export type TickOutcome = Exclude<TickStatusName, 'running'>;

/** A campaign's status (campaigns table); `running` until its summary is written. */
export const CAMPAIGN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const TICK_PHASES = ['starting', 'login', 'main', 'rating', 'goals', 'persist', 'done'] as const;
export type TickPhase = (typeof TICK_PHASES)[number];

/**
 * Why a tick's main turn ended. The model's own stop (`end_turn`, `max_tokens`, `refusal`), a budget
 * (`budget:*`), cancellation, or a failure (`error:<FailureType>`) or unknown stop (`stop:<reason>`).
 */
export const END_REASONS = [
  'end_turn',
  'max_tokens',
  'refusal',
  'budget:rounds',
  'budget:tool_calls',
  'budget:tokens',
  'budget:cost',
  'cancelled',
] as const;
export type EndReason = (typeof END_REASONS)[number] | `error:${string}` | `stop:${string}`;

/**
 * How a goal ended in a tick: the product's end state satisfied its check (`achieved`) or not
 * (`failed`); the persona never tried it (`not-attempted`: the offline persona without scripted calls
 * for it, or a persona that used nothing); the check call itself failed (`check-error`: infrastructure,
 * not the persona's fault, never counted as a failure of the product's end state).
 */
export const GOAL_OUTCOMES = ['achieved', 'failed', 'not-attempted', 'check-error'] as const;
export type GoalOutcome = (typeof GOAL_OUTCOMES)[number];
/** Who judged a goal: a read-only check in the product (`checked`) or the persona itself. Never mixed. */
export const GOAL_SOURCES = ['checked', 'self-reported'] as const;
export type GoalSource = (typeof GOAL_SOURCES)[number];

/** The built-in demo product's rated modules. */
export const BUILTIN_MODULES = ['habits', 'todos', 'notes', 'journal'] as const;
export type BuiltinModule = (typeof BUILTIN_MODULES)[number];
/** Modules of plumbing tools: listed and called, never rated. */
export const UNRATED_MODULES = ['spaces', 'admin'] as const;
export type ModuleId = BuiltinModule | (typeof UNRATED_MODULES)[number];
export const isRatedModule = (m: string | undefined): m is string =>
  !!m && !(UNRATED_MODULES as readonly string[]).includes(m);
/** The feedback row written when the rating turn's output cannot be parsed. */
export const PARSE_MODULE = '__parse';

/** Tokens of one model call or of a whole tick, as the persona_ticks columns count them. */
export interface TokenUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export const emptyTokenUsage = (): TokenUsage => ({ input: 0, output: 0, cacheWrite: 0, cacheRead: 0 });

/** Two usages added field by field (the tick's running total; a rating turn asked twice). */
export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}
