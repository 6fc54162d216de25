import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { preparedQuery } from '../../lib/db/prepared.ts';
import { toolIdempotency } from '../../schema/index.ts';
import { IDEMPOTENCY_META_KEY, keyReusedMessage } from '../mcp/idempotency.ts';

/**
 * An upstream call under an idempotency key, without a transaction held open around it: the upstream
 * may take up to its call timeout, and a pooled Postgres connection idling in a transaction that long
 * per call caps the gateway at the pool size and adds BEGIN/COMMIT round trips to every call.
 *
 * A row of tool_idempotency with `result` NULL is a claim: a call with that key is running. So:
 *   claim   INSERT … ON CONFLICT DO NOTHING (one statement); a row already there is a replay (result
 *           set), a conflict (another tool or other arguments), or a claim of a call still running;
 *   call    the upstream;
 *   settle  success: UPDATE the row with the sealed result; an error of any kind: DELETE the claim,
 *           so a retry with the same key calls the upstream again (only a success is kept).
 * A second call with the same key while the first runs never calls the upstream: it waits for the
 * first (in this process: on its promise; in another gateway process: by polling the row) and then
 * replays its result, or claims the key itself if the first failed. A claim older than `leaseMs` is
 * one whose gateway died mid-call: it is taken over. A wait that outlasts the lease answers "still
 * running" (retryable) instead of holding the caller.
 */
export type UpstreamCallOutcome =
  | { kind: 'called'; result: CallToolResult }
  | { kind: 'replay'; stored: Record<string, unknown> }
  | { kind: 'conflict'; message: string }
  | { kind: 'in-progress'; message: string };

export interface IdempotentCall {
  db: Db;
  userId: string;
  key: string;
  toolName: string;
  inputHash: string;
  /** How long a claim may stay unsettled before it counts as abandoned (the call timeout plus a margin). */
  leaseMs: number;
  call(): Promise<CallToolResult>;
  /** The stored copy of a successful result. */
  seal(result: CallToolResult): Record<string, unknown>;
  /** A successful call whose result could not be stored: logged, the caller still gets its result. */
  onStoreFailed(err: unknown): void;
}

// Module-level: claims held by this gateway process, so a duplicate arriving here waits on the call's
// promise instead of polling Postgres. One process, one map; other processes poll.
const running = new Map<string, Promise<unknown>>();

const POLL_MS = { first: 20, max: 250 };

type Claim =
  | { kind: 'claimed' }
  | Exclude<UpstreamCallOutcome, { kind: 'called' }>
  | { kind: 'running'; stale: boolean };

const p = {
  userId: sql.placeholder('userId'),
  key: sql.placeholder('key'),
  leaseSeconds: sql.placeholder('leaseSeconds'),
};
const thisKey = and(eq(toolIdempotency.userId, p.userId), eq(toolIdempotency.key, p.key));
const stale = sql<boolean>`${toolIdempotency.createdAt} < now() - make_interval(secs => ${p.leaseSeconds})`;

/** The statements, built once per database: they run on every call with a key (named pg statements). */
function prepare(db: Db) {
  return {
    claim: db
      .insert(toolIdempotency)
      .values({
        userId: p.userId,
        key: p.key,
        toolName: sql.placeholder('toolName'),
        inputHash: sql.placeholder('inputHash'),
      })
      .onConflictDoNothing()
      .returning({ key: toolIdempotency.key })
      .prepare('upstream_idem_claim'),
    prior: db
      .select({
        toolName: toolIdempotency.toolName,
        inputHash: toolIdempotency.inputHash,
        result: toolIdempotency.result,
        stale,
      })
      .from(toolIdempotency)
      .where(thisKey)
      .prepare('upstream_idem_prior'),
    // The staleness condition again, so of two takers only one wins.
    takeOver: db
      .update(toolIdempotency)
      .set({ createdAt: sql`now()` })
      .where(and(thisKey, isNull(toolIdempotency.result), stale))
      .returning({ key: toolIdempotency.key })
      .prepare('upstream_idem_take_over'),
    store: db
      .update(toolIdempotency)
      .set({ result: sql`${sql.placeholder('result')}::jsonb` })
      .where(thisKey)
      .prepare('upstream_idem_store'),
    release: db
      .delete(toolIdempotency)
      .where(and(thisKey, isNull(toolIdempotency.result)))
      .prepare('upstream_idem_release'),
  };
}
const statements = (db: Db) => preparedQuery(db, 'upstream_idempotency', () => prepare(db));

async function claim(c: IdempotentCall): Promise<Claim> {
  const q = statements(c.db);
  const ids = { userId: c.userId, key: c.key };
  const inserted = await q.claim.execute({ ...ids, toolName: c.toolName, inputHash: c.inputHash });
  if (inserted.length) return { kind: 'claimed' };
  const [prior] = await q.prior.execute({ ...ids, leaseSeconds: c.leaseMs / 1000 });
  // Released between our insert and select: try again.
  if (!prior) return { kind: 'running', stale: false };
  if (prior.toolName !== c.toolName || prior.inputHash !== c.inputHash)
    return {
      kind: 'conflict',
      message: keyReusedMessage(c.key, prior.toolName),
    };
  if (prior.result !== null) return { kind: 'replay', stored: prior.result as Record<string, unknown> };
  if (!prior.stale) return { kind: 'running', stale: false };
  // An abandoned claim: take it over.
  const taken = await q.takeOver.execute({ ...ids, leaseSeconds: c.leaseMs / 1000 });
  return taken.length ? { kind: 'claimed' } : { kind: 'running', stale: false };
}

export async function callIdempotently(c: IdempotentCall): Promise<UpstreamCallOutcome> {
  const id = `${c.userId}\u0000${c.key}`;
  const giveUpAt = performance.now() + c.leaseMs;
  let pollMs = POLL_MS.first;
  for (;;) {
    const got = await claim(c);
    if (got.kind === 'claimed') break;
    if (got.kind !== 'running') return got;
    if (performance.now() >= giveUpAt)
      return {
        kind: 'in-progress',
        message: `_meta.${IDEMPOTENCY_META_KEY}: a call with key "${c.key}" is still running; retry with the same key to get its result`,
      };
    const local = running.get(id);
    if (local) await local.catch(() => {});
    else {
      await sleep(pollMs);
      pollMs = Math.min(POLL_MS.max, pollMs * 2);
    }
  }

  const q = statements(c.db);
  const ids = { userId: c.userId, key: c.key };
  const release = () => q.release.execute(ids);
  const call = (async () => {
    let result: CallToolResult;
    try {
      result = await c.call();
    } catch (err) {
      await release().catch(() => {});
      throw err;
    }
    if (result.isError) {
      // Not kept: a retry with the same key calls the upstream again. A failed release leaves the claim
      // to expire after the lease.
      await release().catch(() => {});
      return result;
    }
    try {
      await q.store.execute({ ...ids, result: JSON.stringify(c.seal(result)) });
    } catch (err) {
      c.onStoreFailed(err);
    }
    return result;
  })();
  running.set(id, call);
  try {
    return { kind: 'called', result: await call };
  } finally {
    running.delete(id);
  }
}
