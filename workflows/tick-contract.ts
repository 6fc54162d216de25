// The persona tick's contract, in one side-effect-free module: the workflow type, its input and
// result, its signals and query, its search attributes, every failure type, and the start options
// every starter uses (CLI, `up`, schedules, campaigns). What its activities exchange with it is in
// tick-steps-contract.ts. Bundled into the workflow sandbox: it imports only pure definitions.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TickOutcome, TickPhase, TokenUsage } from '../schema/vocabulary.ts';
import type { FailureKind } from './failures.ts';
import { tickDetails, tickSummary, type TickOrigin, type TickSubject } from './tick-web-ui.ts';

export type { TickOrigin, TickSubject };

export const TICK_WORKFLOW = 'personaTick';

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

/** Every tick carries these, so the Web UI can filter ticks by persona, archetype and cadence. */
export const PERSONA_ID = defineSearchAttributeKey('PersonaId', SearchAttributeType.KEYWORD);
export const ARCHETYPE = defineSearchAttributeKey('Archetype', SearchAttributeType.KEYWORD);
export const CADENCE = defineSearchAttributeKey('Cadence', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTES = [PERSONA_ID, ARCHETYPE, CADENCE] as const;

export function tickSearchAttributes(p: TickSubject): SearchAttributePair[] {
  return [
    { key: PERSONA_ID, value: p.personaId },
    { key: ARCHETYPE, value: p.archetype },
    { key: CADENCE, value: p.cadence },
  ];
}

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
    staticDetails: tickDetails(p, { ...DEFAULT_BUDGETS, ...input.budgets }, origin),
  };
}

/** A manual tick's id: the persona, what started it, and when (ids stay unique per start). */
export function tickWorkflowId(personaId: string, label: string, at = new Date()): string {
  return `tick-${personaId}-${label}-${at.toISOString().replace(/[:.]/g, '-')}`;
}

/** A schedule's ticks: Temporal appends the scheduled time, so every tick has its own id. */
export const scheduledTickWorkflowId = (personaId: string) => `tick-${personaId}`;

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
} as const satisfies Record<string, FailureKind>;
export type TickFailureType = (typeof TICK_FAILURES)[keyof typeof TICK_FAILURES]['type'];
