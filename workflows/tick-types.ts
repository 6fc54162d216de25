// Pure types and constants shared by the tick workflow, its activities and its starters.
// No imports with side effects: this file is bundled into the workflow sandbox.

export const TICK_WORKFLOW = 'personaTick';

export type ErrorClass = 'persona' | 'product' | 'policy' | 'infra';
export type TickPhase = 'starting' | 'login' | 'main' | 'rating' | 'persist' | 'done';

export interface TickBudgets {
  maxRounds: number;
  maxToolCalls: number;
  /** Input + output + cache tokens over the whole tick. */
  maxTokens: number;
  maxCostUsd: number;
}

export const DEFAULT_BUDGETS: TickBudgets = {
  maxRounds: 12,
  maxToolCalls: 40,
  maxTokens: 200_000,
  maxCostUsd: 0.5,
};

export interface TickInput {
  personaId: string;
  budgets?: Partial<TickBudgets>;
}

export interface TokenUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export interface ActionRecord {
  seq: number;
  round: number;
  toolName: string;
  toolUseId: string;
  module: string | undefined;
  inputHash: string;
  outcome: 'ok' | 'error';
  errorClass: ErrorClass | undefined;
  summary: string;
  latencyMs: number;
}

export interface FeedbackRecord {
  module: string;
  rating: number | null;
  notes: string;
}

export interface LoginResult {
  tickId: string;
  personaId: string;
  userId: string;
  archetype: string;
  cadence: string;
  personalSpaceId: string;
  provider: string;
  model: string;
  /** The persona is paused in the database (kill switch): the tick waits for a resume signal. */
  paused?: boolean;
}

export interface ModelCallInput {
  tickId: string;
  personaId: string;
  round: number;
  maxTokens?: number;
}

export interface ModelCallResult {
  stopReason: string | null;
  /** Tool calls requested in this round, in the model's order; inputs stay in Postgres. */
  toolUses: Array<{ id: string; name: string }>;
  usage: TokenUsage;
  costUsd: number;
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
  actions: Array<Pick<ActionRecord, 'module' | 'toolName' | 'outcome' | 'errorClass'>>;
}

export interface RatingResult {
  feedback: FeedbackRecord[];
  /** Set when the model left out a module it used (the ratings it gave are kept). */
  ratingError: string | undefined;
  usage: TokenUsage;
  costUsd: number;
}

export type TickStatusValue = 'completed' | 'failed' | 'cancelled';

export interface PersistInput {
  tickId: string;
  personaId: string;
  status: TickStatusValue;
  endReason: string;
  rounds: number;
  actions: ActionRecord[];
  feedback: FeedbackRecord[];
  usage: TokenUsage;
  costUsd: number;
  ratingError: string | undefined;
  failure: string | undefined;
  historyLength: number;
  historySize: number;
  startedAtMs: number;
}

/** Live status returned by the `status` query. */
export interface TickStatus {
  tickId: string;
  phase: TickPhase;
  round: number;
  paused: boolean;
  actions: number;
  errors: number;
  toolsUsed: string[];
  usage: TokenUsage;
  costUsd: number;
  endReason: string | undefined;
}
