import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { toolIdempotency } from '../../schema/index.ts';
import type { Tx } from '../../lib/db/client.ts';
import { decryptValue, encryptValue, isEncrypted } from '../../lib/demo-product/aes-gcm.ts';

/** Where a client puts the idempotency key: `params._meta.idempotencyKey` of tools/call. */
export const IDEMPOTENCY_META_KEY = 'idempotencyKey';
const MAX_KEY_LENGTH = 200;

export function stableHash(value: unknown): string {
  const canonical = JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
  return createHash('sha256')
    .update(canonical ?? 'undefined')
    .digest('hex');
}

/** Reads and checks the key; returns an error message for a malformed one. */
export function readIdempotencyKey(meta: Record<string, unknown> | undefined): {
  key?: string;
  error?: string;
} {
  const raw = meta?.[IDEMPOTENCY_META_KEY];
  if (raw === undefined) return {};
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_KEY_LENGTH) {
    return {
      error: `_meta.${IDEMPOTENCY_META_KEY}: expected a non-empty string of at most ${MAX_KEY_LENGTH} characters`,
    };
  }
  return { key: raw };
}

/** What a caller reads when it reuses a key for another call (another tool, or other arguments). */
export function keyReusedMessage(key: string, priorTool: string | undefined): string {
  return `_meta.${IDEMPOTENCY_META_KEY}: key "${key}" was already used for a different call (${priorTool ?? 'unknown'}); use a new key per distinct call`;
}

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'replay'; result: Record<string, unknown> }
  | { kind: 'conflict'; message: string };

/**
 * Claims the key inside the call's transaction. A concurrent repeat blocks on the primary key until
 * the first call commits (then replays its result) or rolls back (then claims the key itself).
 */
export async function claimIdempotencyKey(
  tx: Tx,
  userId: string,
  key: string,
  toolName: string,
  inputHash: string,
): Promise<ClaimResult> {
  const inserted = await tx
    .insert(toolIdempotency)
    .values({ userId, key, toolName, inputHash })
    .onConflictDoNothing()
    .returning({ key: toolIdempotency.key });
  if (inserted.length) return { kind: 'claimed' };
  const [prior] = await tx
    .select()
    .from(toolIdempotency)
    .where(and(eq(toolIdempotency.userId, userId), eq(toolIdempotency.key, key)));
  if (!prior || prior.toolName !== toolName || prior.inputHash !== inputHash) {
    return {
      kind: 'conflict',
      message: keyReusedMessage(key, prior?.toolName),
    };
  }
  return { kind: 'replay', result: (prior.result ?? {}) as Record<string, unknown> };
}

export async function storeIdempotentResult(
  tx: Tx,
  userId: string,
  key: string,
  result: Record<string, unknown>,
): Promise<void> {
  await tx
    .update(toolIdempotency)
    .set({ result })
    .where(and(eq(toolIdempotency.userId, userId), eq(toolIdempotency.key, key)));
}

/**
 * What is stored for a replay. A tool with encrypted fields returns them decrypted (a note's body, a
 * search snippet of one), so its result is stored sealed whole — `{ sealed: "enc:1:…" }` under the
 * user's master key — never in plaintext; other results are stored as they are. Tools with encrypted
 * fields never run for a zero-knowledge user, so the key is always there when it is needed.
 */
export function sealStoredResult(
  result: Record<string, unknown>,
  encryptedFields: Readonly<Record<string, readonly string[]>>,
  masterKey: Buffer | undefined,
): Record<string, unknown> {
  if (!Object.keys(encryptedFields).length) return result;
  if (!masterKey) throw new Error('a result with encrypted fields cannot be stored without the user key');
  return { sealed: encryptValue(masterKey, JSON.stringify(result)) };
}

/** The result a replay returns: a sealed one opened with the user's master key. */
export function openStoredResult(
  stored: Record<string, unknown>,
  masterKey: Buffer | undefined,
): Record<string, unknown> {
  const keys = Object.keys(stored);
  if (keys.length !== 1 || keys[0] !== 'sealed' || !isEncrypted(stored.sealed)) return stored;
  if (!masterKey) throw new Error('a sealed stored result cannot be opened without the user key');
  return JSON.parse(decryptValue(masterKey, stored.sealed)) as Record<string, unknown>;
}
