import type { Db, Tx } from '../../lib/db/client.ts';
import { claimIdempotencyKey, stableHash, storeIdempotentResult } from './idempotency.ts';

export type BuiltinCallOutcome =
  | { kind: 'ran'; result: Record<string, unknown> }
  /** The key was used for this very call before: its stored result (sealed, if it was stored sealed). */
  | { kind: 'replay'; stored: Record<string, unknown> }
  | { kind: 'conflict'; message: string };

/**
 * A call carrying an idempotency key, in one transaction: claim the key, run the call, store its result.
 * A repeat of the same call gets the stored result without running; the same key for a different call
 * is a conflict. A concurrent repeat blocks on the key's row until the first commits (then replays) or
 * rolls back (then runs itself). A thrown error rolls everything back, the claim included, so a retry
 * with the same key runs the call.
 */
export async function runIdempotent(
  db: Db,
  call: { userId: string; key: string; tool: string; input: unknown },
  run: (tx: Tx) => Promise<Record<string, unknown>>,
  seal: (result: Record<string, unknown>) => Record<string, unknown> = (r) => r,
): Promise<BuiltinCallOutcome> {
  return db.transaction(async (tx) => {
    const claim = await claimIdempotencyKey(tx, call.userId, call.key, call.tool, stableHash(call.input));
    if (claim.kind === 'conflict') return claim;
    if (claim.kind === 'replay') return { kind: 'replay', stored: claim.result };
    const result = await run(tx);
    await storeIdempotentResult(tx, call.userId, call.key, seal(result));
    return { kind: 'ran', result };
  });
}
