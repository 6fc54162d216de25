import { hkdfSync } from 'node:crypto';
import { decryptValue, encryptValue, isEncrypted } from '../demo-product/aes-gcm.ts';
import { loadMasterKey } from '../demo-product/vault.ts';
import { derivePersonaPassword } from '../personas/password.ts';
import type { DbOrTx } from '../db/client.ts';

/**
 * Transcript parts carry whatever the persona wrote and read — note and journal bodies included,
 * which the product stores encrypted — so every part is stored sealed: the part's JSON, AES-256-GCM
 * (`enc:1:` wire format), keyed by the persona's own master key (its vault key, which the KEK
 * unwraps). Only holders of the KEK (the worker, and the dashboard server-side) can open a part.
 *
 * A zero-knowledge persona has no server-usable master key. Its parts are sealed with a key only its
 * client side can derive: HKDF over its password, which is HMAC(PERSONA_SEED_SECRET, email) — the
 * worker, which plays the persona's client, re-derives it; the gateway, the database and the
 * dashboard cannot (they see the part as withheld).
 */
export type TranscriptKeyKind = 'vault' | 'persona';

export interface TranscriptKey {
  kind: TranscriptKeyKind;
  key: Buffer;
}

/** How a sealed part sits in `persona_transcript.content` (jsonb). */
export interface SealedPart {
  sealed: string;
  key: TranscriptKeyKind;
}

export type OpenedPart =
  | { state: 'open'; content: unknown }
  /** Written before parts were sealed (they age out with the retention purge). */
  | { state: 'plaintext'; content: unknown }
  /** Sealed with a key the caller does not hold (a zero-knowledge persona's, seen server-side). */
  | { state: 'withheld'; key: TranscriptKeyKind; reason: string };

export function isSealedPart(content: unknown): content is SealedPart {
  if (!content || typeof content !== 'object' || Array.isArray(content)) return false;
  const c = content as Record<string, unknown>;
  return isEncrypted(c.sealed) && (c.key === 'vault' || c.key === 'persona');
}

export function sealTranscriptPart(key: TranscriptKey, content: unknown): SealedPart {
  return { sealed: encryptValue(key.key, JSON.stringify(content)), key: key.kind };
}

/**
 * Opens one stored part with the key the caller holds. The dashboard's tick page passes the
 * persona's vault key (vaultTranscriptKey); the worker the key it sealed with. A tampered part or a
 * wrong key of the right kind throws DecryptionError.
 */
export function openTranscriptPart(content: unknown, key: TranscriptKey | undefined): OpenedPart {
  if (!isSealedPart(content)) return { state: 'plaintext', content };
  if (!key || key.kind !== content.key) {
    return {
      state: 'withheld',
      key: content.key,
      reason:
        content.key === 'persona'
          ? "sealed with the zero-knowledge persona's own key: not readable server-side"
          : "sealed with the persona's vault key, which this reader does not hold",
    };
  }
  return { state: 'open', content: JSON.parse(decryptValue(key.key, content.sealed)) as unknown };
}

const PERSONA_KEY_SALT = 'persona-runner/transcript-key/v1';

/** A zero-knowledge persona's transcript key: derived from its password, never stored. */
export function personaTranscriptKey(seedSecret: string, email: string): TranscriptKey {
  const password = derivePersonaPassword(seedSecret, email);
  const key = Buffer.from(hkdfSync('sha256', password, PERSONA_KEY_SALT, email.trim().toLowerCase(), 32));
  return { kind: 'persona', key };
}

/** The user's vault key as a transcript key, or undefined for a zero-knowledge user. */
export async function vaultTranscriptKey(
  db: DbOrTx,
  kek: Buffer,
  userId: string,
): Promise<TranscriptKey | undefined> {
  const key = await loadMasterKey(db, kek, userId);
  return key && { kind: 'vault', key };
}

/** The key the worker seals a persona's parts with: its vault key, else its client-side key. */
export async function resolveTranscriptKey(
  db: DbOrTx,
  secrets: { kek: Buffer; seedSecret: string },
  persona: { userId: string; email: string },
): Promise<TranscriptKey> {
  return (
    (await vaultTranscriptKey(db, secrets.kek, persona.userId)) ??
    personaTranscriptKey(secrets.seedSecret, persona.email)
  );
}
