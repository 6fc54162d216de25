import { ApplicationFailure, continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { PurgeActivities } from '../activities/index.ts';
import {
  BATCHES_PER_RUN,
  PURGE_FAILURES,
  purgeInputProblem,
  type PurgeInput,
  type PurgeResult,
} from './purge-contract.ts';

// Each batch is a short statement; a database blip is retried with backoff for a few minutes.
const { purgeTranscriptBatch } = proxyActivities<PurgeActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 },
});

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes transcript parts older than the retention period, batch by batch, until a batch comes
 * back short. The cutoff is fixed once per purge (workflow time, so replays agree) and carried over
 * when a long purge continues as new after `batchesPerRun` batches.
 */
export async function purgeTranscripts(input: PurgeInput): Promise<PurgeResult> {
  const problem = purgeInputProblem(input);
  if (problem) throw ApplicationFailure.nonRetryable(problem, PURGE_FAILURES.invalidInput.type);
  const cutoff = input.cutoff ?? new Date(Date.now() - input.retentionDays * DAY_MS).toISOString();
  let deleted = input.deletedSoFar ?? 0;
  let batches = input.batchesSoFar ?? 0;
  for (let i = 0; i < (input.batchesPerRun ?? BATCHES_PER_RUN); i++) {
    const batch = await purgeTranscriptBatch({ cutoff, batchSize: input.batchSize });
    batches++;
    deleted += batch.deleted;
    if (batch.deleted < input.batchSize) return { cutoff, deleted, batches };
  }
  return continueAsNew<typeof purgeTranscripts>({
    ...input,
    cutoff,
    deletedSoFar: deleted,
    batchesSoFar: batches,
  });
}
