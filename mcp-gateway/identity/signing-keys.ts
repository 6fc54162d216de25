import { randomUUID } from 'node:crypto';
import { isNull } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { signingKeys } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { decryptValue, encryptValue } from '../../lib/demo-product/aes-gcm.ts';

export const SIGNING_ALG = 'EdDSA';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * The gateway's asymmetric signing key, kept in Postgres with the private half wrapped by the KEK,
 * so every gateway instance (and `personas token`) signs with the same key and tokens survive restarts.
 */
export async function ensureSigningKey(db: Db, kek: Buffer): Promise<SigningKey> {
  let [row] = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).limit(1);
  if (!row) {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
    await db
      .insert(signingKeys)
      .values({
        kid,
        alg: SIGNING_ALG,
        publicJwk,
        privateJwkWrapped: encryptValue(kek, JSON.stringify(privateJwk)),
      })
      .onConflictDoNothing();
    // Two instances racing at first start: both re-read, and the oldest row wins.
    [row] = await db
      .select()
      .from(signingKeys)
      .where(isNull(signingKeys.retiredAt))
      .orderBy(signingKeys.createdAt)
      .limit(1);
    if (!row) throw new Error('signing key vanished after insert');
  }
  const privateJwk = JSON.parse(decryptValue(kek, row.privateJwkWrapped)) as JWK;
  return {
    kid: row.kid,
    privateKey: (await importJWK(privateJwk, row.alg)) as CryptoKey,
    publicJwk: row.publicJwk as JWK,
  };
}
