import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { vaultKeys } from '../../schema/index.ts';
import type { DbOrTx } from '../db/client.ts';
import { decryptValue, encryptValue } from './aes-gcm.ts';

/** A new user's vault row: a fresh master key wrapped by the KEK, or none for a zero-knowledge user. */
export function newVaultRow(kek: Buffer, userId: string, zeroKnowledge: boolean) {
  const wrappedKey = zeroKnowledge ? null : encryptValue(kek, randomBytes(32).toString('base64'));
  return { userId, wrappedKey, zeroKnowledge };
}

/** Creates the user's vault row: a fresh wrapped master key, or none for a zero-knowledge user. */
export async function createVault(
  tx: DbOrTx,
  kek: Buffer,
  userId: string,
  zeroKnowledge: boolean,
): Promise<void> {
  await tx
    .insert(vaultKeys)
    .values(newVaultRow(kek, userId, zeroKnowledge))
    .onConflictDoNothing();
}

/** The user's unwrapped master key, or undefined when the server has no usable key (zero-knowledge). */
export async function loadMasterKey(db: DbOrTx, kek: Buffer, userId: string): Promise<Buffer | undefined> {
  const [row] = await db.select().from(vaultKeys).where(eq(vaultKeys.userId, userId));
  if (!row?.wrappedKey || row.zeroKnowledge) return undefined;
  return Buffer.from(decryptValue(kek, row.wrappedKey), 'base64');
}
