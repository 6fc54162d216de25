import { sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { personaTranscript } from '../../schema/index.ts';
import {
  PURGE_BATCH_SIZE,
  PURGE_FAILURES,
  type PurgeBatchInput,
  type PurgeBatchResult,
} from '../../workflows/purge-contract.ts';
import type { ActivityDeps } from '../deps.ts';

/**
 * One batch of the transcript purge: at most `batchSize` parts created before the cutoff, found
 * through the created_at index, in one short transaction. Rows another transaction holds (a tick
 * rewriting a part) are skipped, not waited for, and the statement gives up rather than queue behind
 * a lock (lock_timeout), so the purge never blocks ticks; skipped rows go in a later batch or run.
 */
export function createPurgeTranscriptBatch(deps: ActivityDeps) {
  return async function purgeTranscriptBatch(input: PurgeBatchInput): Promise<PurgeBatchResult> {
    const cutoff = new Date(input.cutoff);
    if (Number.isNaN(cutoff.getTime()))
      throw ApplicationFailure.nonRetryable(
        `cutoff is not a timestamp: ${JSON.stringify(input.cutoff)}`,
        PURGE_FAILURES.invalidInput.type,
      );
    const size = input.batchSize;
    if (!Number.isInteger(size) || size < PURGE_BATCH_SIZE.min || size > PURGE_BATCH_SIZE.max)
      throw ApplicationFailure.nonRetryable(
        `batchSize must be a whole number from ${PURGE_BATCH_SIZE.min} to ${PURGE_BATCH_SIZE.max}`,
        PURGE_FAILURES.invalidInput.type,
      );
    const t = personaTranscript;
    const deleted = await deps.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL lock_timeout = '5s'`);
      await tx.execute(sql`SET LOCAL statement_timeout = '60s'`);
      // ctid = ANY(ARRAY(…)) deletes exactly the rows the subquery locked, by a TID scan.
      const res = await tx.execute(sql`
        DELETE FROM ${t} WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM ${t} WHERE ${t.createdAt} < ${cutoff.toISOString()}
          LIMIT ${size} FOR UPDATE SKIP LOCKED))`);
      return res.rowCount ?? 0;
    });
    deps.metrics.transcriptPartsPurged.inc(deleted);
    return { deleted };
  };
}
