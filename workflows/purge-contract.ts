// The transcript purge's contract, in one side-effect-free module: the workflow type, its input and
// result, its activity's input and result, the schedule that runs it and the limits everything
// checks. Imported by the workflow, the activity, the schedule (lib/schedules/purge-schedule.ts)
// and the worker's config. Bundled into the workflow sandbox: pure definitions only.

import type { FailureKind } from './failures.ts';
import { rangeProblem } from './input-checks.ts';

export const PURGE_WORKFLOW = 'purgeTranscripts';

/** How long transcript parts are kept (TRANSCRIPT_RETENTION_DAYS). */
export const RETENTION_DAYS = { default: 30, min: 1, max: 3650 } as const;
/**
 * Parts deleted per statement (TRANSCRIPT_PURGE_BATCH_SIZE): each batch is one short transaction,
 * so no lock is held for longer than one batch takes.
 */
export const PURGE_BATCH_SIZE = { default: 1000, min: 1, max: 10_000 } as const;
/** Batches per workflow run before it continues as new, so one run's history stays small. */
export const BATCHES_PER_RUN = 200;
/** How often the schedule starts a purge (ms): hourly keeps each run short (a day's parts / 24). */
export const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface PurgeInput {
  retentionDays: number;
  batchSize: number;
  /** Tests and operators may lower it; defaults to BATCHES_PER_RUN. */
  batchesPerRun?: number;
  /** Carried over by continue-as-new: the first run's cutoff and totals. */
  cutoff?: string;
  deletedSoFar?: number;
  batchesSoFar?: number;
}

export interface PurgeResult {
  /** Parts created before this instant were deleted (ISO 8601). */
  cutoff: string;
  deleted: number;
  batches: number;
}

export interface PurgeBatchInput {
  cutoff: string;
  batchSize: number;
}

export interface PurgeBatchResult {
  deleted: number;
}

/** Failure types of the purge (ApplicationFailure.type). */
export const PURGE_FAILURES = {
  /** The input is out of range (a hand-started run with retentionDays 0 would delete everything). */
  invalidInput: { type: 'PurgeInvalidInput', retryable: false },
} as const satisfies Record<string, FailureKind>;

/** What is wrong with a purge input, or undefined when it is valid. */
export function purgeInputProblem(input: Partial<PurgeInput> | undefined): string | undefined {
  return (
    rangeProblem('retentionDays', input?.retentionDays, RETENTION_DAYS, 'days') ??
    rangeProblem('batchSize', input?.batchSize, PURGE_BATCH_SIZE) ??
    (input?.batchesPerRun === undefined
      ? undefined
      : rangeProblem('batchesPerRun', input.batchesPerRun, { min: 1, max: 10_000 }))
  );
}

/**
 * One purge schedule per deployment (namespace + task queue): ticks and their transcripts belong to
 * the workers of one task queue, so its purge does too.
 */
export const purgeScheduleId = (taskQueue: string) => `transcript-purge-${taskQueue}`;

/** What every start of a purge shares — the schedule's action, a start by hand. */
export function purgeStartOptions(taskQueue: string, input: PurgeInput) {
  return {
    workflowType: PURGE_WORKFLOW,
    taskQueue,
    args: [input] as [PurgeInput],
  };
}
