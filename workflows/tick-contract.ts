// The persona tick's contract, in one side-effect-free module: the workflow type, its input and
// result, the activity inputs/results it exchanges, its signals and query, its search attributes,
// every failure type, and the start options every starter uses (CLI, `up`, schedules, campaigns).
// Bundled into the workflow sandbox: it imports only pure definitions.
import {
  ActivityFailure,
  ApplicationFailure,
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
} from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import {
  isRatedModule,
  type ActionOutcome,
  type ErrorClass,
  type TickOutcome,
  type TickPhase,
} from '../lib/vocabulary.ts';

export const TICK_WORKFLOW = 'personaTick';

// ---- input and result -------------------------------------------------------------------------

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
  /** Set when a campaign started the tick: recorded on its row, and its seed drives the scripted persona. */
  campaign?: TickCampaign;
  /**
   * Runs the tick as ticks ran before the `tick-rounds` patch (one activity per tool call, persist as
   * an activity). Set only by bench/tick-efficiency.ts, as the baseline it measures against.
   */
  beforeRoundsPatch?: boolean;
  /**
   * Runs the tick as ticks ran between the `tick-rounds` and `tick-local-steps` patches (login and a
   * round's tool calls as ordinary activities). Set only by bench/tick-efficiency.ts, to measure what
   * the later patch adds.
   */
  beforeLocalSteps?: boolean;
  /**
   * Runs the tick as ticks ran between the `tick-local-steps` and `tick-rate-in-last-call` patches
   * (the rating turn always its own `rate` activity). Set by bench/tick-efficiency.ts and tests.
   */
  beforeRateInLastCall?: boolean;
}

/** A campaign trial: which campaign, which trial (1…K), and the trial's seed. */
export interface TickCampaign {
  campaignId: string;
  trial: number;
  trialSeed: string;
}

export interface TickResult {
  tickId: string;
  status: TickOutcome;
  endReason: string;
  actions: number;
}

/** The workflow function's type, for typed handles without importing the workflow itself. */
export type PersonaTickWorkflow = (input: TickInput) => Promise<TickResult>;

// ---- signals and query ------------------------------------------------------------------------

// Pause and resume are signals, not updates: the caller (a person or `personas pause --all`) needs
// no answer from the tick and must not block on a tick that is mid-activity; the effect is visible
// through the status query.
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Live status: phase, round, actions so far, paused. */
export const statusQuery = defineQuery<TickStatus>('status');

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

// ---- search attributes ------------------------------------------------------------------------

/** Every tick carries these, so the Web UI can filter ticks by persona, archetype and cadence. */
export const PERSONA_ID = defineSearchAttributeKey('PersonaId', SearchAttributeType.KEYWORD);
export const ARCHETYPE = defineSearchAttributeKey('Archetype', SearchAttributeType.KEYWORD);
export const CADENCE = defineSearchAttributeKey('Cadence', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTES = [PERSONA_ID, ARCHETYPE, CADENCE] as const;

/** What a tick is about, as its starter knows it (the optional parts make the Web UI readable). */
export interface TickSubject {
  personaId: string;
  archetype: string;
  cadence: string;
  displayName?: string;
  email?: string;
  timezone?: string;
  /** Weights per module: the modules (products) the persona uses. */
  moduleMix?: Record<string, number>;
}

/** Who started a tick, for its Web UI summary. */
export type TickOrigin =
  { kind: 'schedule' | 'manual' | 'up' } | { kind: 'campaign'; label: string; trial: number; trials: number };

export function tickSearchAttributes(p: TickSubject): SearchAttributePair[] {
  return [
    { key: PERSONA_ID, value: p.personaId },
    { key: ARCHETYPE, value: p.archetype },
    { key: CADENCE, value: p.cadence },
  ];
}

// ---- start options ----------------------------------------------------------------------------

/**
 * What every start of a tick shares — the manual start, `up`, a schedule's action, a campaign's
 * child: workflow type, task queue, input, search attributes, and the Web UI's static summary and
 * details (Temporal user metadata). Starters add only the workflow id.
 */
export function tickStartOptions(
  p: TickSubject,
  taskQueue: string,
  input: Partial<TickInput> = {},
  origin: TickOrigin = { kind: 'manual' },
) {
  return {
    workflowType: TICK_WORKFLOW,
    taskQueue,
    args: [{ ...input, personaId: p.personaId }] as [TickInput],
    typedSearchAttributes: tickSearchAttributes(p),
    staticSummary: tickSummary(p, origin),
    staticDetails: tickDetails(p, input, origin),
  };
}

const personaLabel = (p: TickSubject) => `${p.displayName ?? p.email ?? p.personaId} (${p.archetype})`;

/** One line for the Web UI's workflow list: `Maya (adhd-student) · hourly tick` (≤ 200 bytes). */
export function tickSummary(p: TickSubject, origin: TickOrigin): string {
  const what =
    origin.kind === 'schedule'
      ? `${p.cadence} tick`
      : origin.kind === 'campaign'
        ? `campaign ${origin.label} · trial ${origin.trial}/${origin.trials}`
        : origin.kind === 'up'
          ? 'first tick (personas up --once)'
          : 'manual tick';
  return truncateUtf8(`${personaLabel(p)} · ${what}`, 200);
}

/** Markdown for the Web UI's workflow details: persona, products, budgets, campaign. */
export function tickDetails(p: TickSubject, input: Partial<TickInput>, origin: TickOrigin): string {
  const b = { ...DEFAULT_BUDGETS, ...input.budgets };
  const mix = Object.entries(p.moduleMix ?? {})
    .sort(([, a], [, c]) => c - a)
    .map(([m, w]) => `${m} ${Math.round(w * 100)} %`);
  const lines = [
    `**${p.displayName ?? p.personaId}** · ${p.archetype} · ${p.cadence}${p.timezone ? ` in ${p.timezone}` : ''}`,
    '',
    `- persona: \`${p.personaId}\`${p.email ? ` (${p.email})` : ''}`,
    ...(mix.length ? [`- products / modules: ${mix.join(', ')}`] : []),
    `- budgets: ${b.maxRounds} rounds · ${b.maxToolCalls} tool calls · ${b.maxTokens.toLocaleString('en-US')} tokens · $${b.maxCostUsd.toFixed(2)}`,
    origin.kind === 'campaign'
      ? `- campaign: **${origin.label}**, trial ${origin.trial} of ${origin.trials}`
      : `- started by: ${origin.kind === 'up' ? 'personas up --once' : origin.kind}`,
  ];
  return lines.join('\n');
}

function truncateUtf8(s: string, maxBytes: number): string {
  let out = s;
  while (new TextEncoder().encode(out).length > maxBytes) out = `${out.slice(0, -2)}…`;
  return out;
}

/** A manual tick's id: the persona, what started it, and when (ids stay unique per start). */
export function tickWorkflowId(personaId: string, label: string, at = new Date()): string {
  return `tick-${personaId}-${label}-${at.toISOString().replace(/[:.]/g, '-')}`;
}

/** A schedule's ticks: Temporal appends the scheduled time, so every tick has its own id. */
export const scheduledTickWorkflowId = (personaId: string) => `tick-${personaId}`;

// ---- failures ---------------------------------------------------------------------------------

/**
 * Every ApplicationFailure type a tick's activities raise, in one table (as the MCP SDK keeps its
 * error codes): the workflow's retry policies, the CLI and the tests all match on these names.
 * `retryable: false` types are thrown non-retryable, or listed in the retry policy, or both.
 */
export const TICK_FAILURES = {
  /** The persona row is gone (deleted, or never seeded). */
  personaNotFound: { type: 'PersonaNotFound', retryable: false },
  /** The persona's user has no personal space. */
  noPersonalSpace: { type: 'NoPersonalSpace', retryable: false },
  /** The gateway refused the derived password (seeded with another PERSONA_SEED_SECRET). */
  loginRefused: { type: 'PersonaLoginRefused', retryable: false },
  /** The gateway could not be reached or answered 5xx: infrastructure, retried. */
  gatewayUnavailable: { type: 'GatewayUnavailable', retryable: true },
  /** A tool call's input is not in the stored transcript (it should have been written first). */
  transcriptMissing: { type: 'TranscriptMissing', retryable: false },
  /** 429 / 5xx / 529 / connection errors from the model endpoint. */
  llmRetryable: { type: 'LlmRetryableError', retryable: true },
  /** Other 4xx from the model endpoint: the request itself is wrong. */
  llmBadRequest: { type: 'LlmBadRequest', retryable: false },
  /** 401 / 403 from the model endpoint. */
  llmAuth: { type: 'LlmAuthError', retryable: false },
  /** The workflow got a tool result for another tool_use_id (a bug, never retried). */
  toolResultMismatch: { type: 'ToolResultMismatch', retryable: false },
} as const;
export type TickFailureType = (typeof TICK_FAILURES)[keyof typeof TICK_FAILURES]['type'];

/**
 * A failure as the tick records it (a failed tick's reason, an action's summary): `Type: message` for
 * an ApplicationFailure, the message otherwise; an activity's failure is read through to its cause.
 */
export function failureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'ApplicationFailure'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

// ---- activity inputs and results --------------------------------------------------------------

export interface TokenUsage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** Two usages added field by field (the tick's running total; a rating turn asked twice). */
export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

export interface ActionRecord {
  seq: number;
  round: number;
  toolName: string;
  toolUseId: string;
  module: string | undefined;
  inputHash: string;
  outcome: ActionOutcome;
  errorClass: ErrorClass | undefined;
  summary: string;
  latencyMs: number;
}

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
}

export interface ModelCallInput {
  tickId: string;
  personaId: string;
  round: number;
  maxTokens?: number;
  /** The scripted persona's seed (a campaign's trial seed); the tick id when absent. */
  seed?: string;
  /**
   * The tick's actions so far, when one of them used a rated module (since the
   * `tick-rate-in-last-call` patch): if the model ends its turn, the same activity asks the rating
   * turn at once, and the workflow needs no `rate` activity.
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

/** A round's tool calls in one activity (`callTools`; ticks started since the `tick-rounds` patch). */
export interface ToolRoundInput {
  tickId: string;
  personaId: string;
  round: number;
  calls: Array<{ toolUseId: string; toolName: string }>;
}

/**
 * Per call, in the input's order: its result, the non-retryable failure that ended it (as text), or
 * null when the tick was cancelled before the call finished.
 */
export type ToolRoundResult = Array<ToolCallResult | { toolUseId: string; failure: string } | null>;

export interface RatingInput {
  tickId: string;
  personaId: string;
  actions: Array<Pick<ActionRecord, 'module' | 'toolName' | 'outcome' | 'errorClass'>>;
}

/** The modules a tick's rating turn asks about: those of its actions that are rated, sorted, once each. */
export function ratedModules(actions: ReadonlyArray<Pick<ActionRecord, 'module'>>): string[] {
  return [...new Set(actions.flatMap((a) => (isRatedModule(a.module) ? [a.module] : [])))].sort();
}

export interface RatingResult {
  feedback: FeedbackRecord[];
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
  historyLength: number;
  historySize: number;
  startedAtMs: number;
}
