// The campaign's contract, in one side-effect-free module: the workflow type, its input and result,
// its progress query, its activities' inputs and results, the trial seed and the child ids. Imported
// by the workflow, its activities, the CLI and the dashboard. Bundled into the workflow sandbox:
// pure definitions only.
import { defineQuery } from '@temporalio/workflow';
import type { CampaignStatus, TickOutcome } from '../schema/vocabulary.ts';
import type { FailureKind } from './failures.ts';
import { rangeProblem } from './input-checks.ts';
import type { TickBudgets, TickSubject } from './tick-contract.ts';

export const CAMPAIGN_WORKFLOW = 'personaCampaign';

export const CAMPAIGN_LIMITS = {
  trials: { default: 3, min: 1, max: 100 },
  concurrency: { default: 4, min: 1, max: 200 },
} as const;

export interface CampaignInput {
  /** The campaign's id (= its workflow id) and the row it writes. */
  campaignId: string;
  /** What the campaign stands for (`baseline`, `v1.4.0-rc1`); `compare` accepts labels or ids. */
  label: string;
  trials: number;
  /** Ticks running at once. */
  concurrency: number;
  /** Trial seeds derive from it: two campaigns with the same base are paired trial by trial. */
  seedBase: string;
  personas: TickSubject[];
  budgets?: Partial<TickBudgets>;
  /** The code the campaign runs (git sha or package version), as the starter knows it. */
  codeVersion: string;
}

/** The workflow function's type, for typed handles without importing the workflow itself. */
export type PersonaCampaignWorkflow = (input: CampaignInput) => Promise<CampaignResult>;

export interface TrialResult {
  personaId: string;
  trial: number;
  tickId: string;
  status: TickOutcome;
}

export interface CampaignResult {
  campaignId: string;
  status: CampaignStatus;
  trials: TrialResult[];
  summary: CampaignSummary;
}

/** Live progress: how many trials ran, run, and how they ended. */
export interface CampaignProgress {
  campaignId: string;
  label: string;
  total: number;
  started: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  done: boolean;
}

// Progress is a query, not an update: observers (the CLI re-attaching, the Web UI) only read.
export const progressQuery = defineQuery<CampaignProgress>('progress');

/**
 * One seed per (persona, trial), the same in every campaign with the same base: the scripted
 * persona's choices derive from it, so a baseline and a candidate run the same days and their
 * trials can be compared pairwise. Emails are stable across databases; ids are the fallback.
 */
export const trialSeed = (seedBase: string, p: Pick<TickSubject, 'personaId' | 'email'>, trial: number) =>
  `${seedBase}/${p.email ?? p.personaId}/${trial}`;

/** The tick id of one trial: unique per campaign, readable in the Web UI. */
export const trialWorkflowId = (campaignId: string, personaId: string, trial: number) =>
  `${campaignId}-${personaId}-t${trial}`;

export function campaignWorkflowId(label: string, at = new Date()): string {
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60);
  return `campaign-${safe}-${at.toISOString().replace(/[:.]/g, '-')}`;
}

// ---- activities -------------------------------------------------------------------------------

export interface OpenCampaignInput {
  campaignId: string;
  label: string;
  trials: number;
  seedBase: string;
  personaIds: string[];
  codeVersion: string;
}

/** What the campaign ran against, recorded on its row and its memo. */
export interface CampaignProvenance {
  provider: string;
  model: string;
  catalogHash: string;
  productFingerprint: Record<string, string>;
  promptVersion: string;
  codeVersion: string;
}

export interface CloseCampaignInput {
  campaignId: string;
  status: CampaignStatus;
}

/** The summary written at the end (also `personas report`'s headline numbers). */
export interface CampaignSummary {
  ticks: number;
  byStatus: Record<string, number>;
  actions: number;
  errorsByClass: Record<string, number>;
  ratings: Record<string, { mean: number; n: number }>;
  tokensPerTick: number;
  costPerTickUsd: number;
}

export const CAMPAIGN_FAILURES = {
  /** The input is out of range or names no persona. */
  invalidInput: { type: 'CampaignInvalidInput', retryable: false },
} as const satisfies Record<string, FailureKind>;

/** What is wrong with a campaign input, or undefined when it is valid. */
export function campaignInputProblem(input: Partial<CampaignInput> | undefined): string | undefined {
  if (!input?.campaignId || !input.label) return 'campaignId and label are required';
  const limits =
    rangeProblem('trials', input.trials, CAMPAIGN_LIMITS.trials) ??
    rangeProblem('concurrency', input.concurrency, CAMPAIGN_LIMITS.concurrency);
  if (limits) return limits;
  if (!input.personas?.length) return 'a campaign needs at least one persona';
  return undefined;
}

/** Options every start of a campaign shares (the CLI, tests, the benchmark). */
export function campaignStartOptions(taskQueue: string, input: CampaignInput) {
  return {
    workflowType: CAMPAIGN_WORKFLOW,
    taskQueue,
    workflowId: input.campaignId,
    args: [input] as [CampaignInput],
    memo: { label: input.label, trials: input.trials, seedBase: input.seedBase },
    staticSummary:
      `campaign ${input.label} · ${input.personas.length} personas × ${input.trials} trials`.slice(0, 200),
  };
}
