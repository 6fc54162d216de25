import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PersonaRunnerError } from '../errors.ts';

/** Wire format of an encrypted value: `enc:1:{b64(iv)}.{b64(ciphertext || tag)}`. */
export const ENC_PREFIX = 'enc:1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a value cannot be decrypted: wrong key, tampered ciphertext, or not in the wire format. */
export class DecryptionError extends PersonaRunnerError {
  override readonly code = 'DECRYPTION_FAILED';
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENC_PREFIX);
}

/** AES-256-GCM with a fresh random IV per value; the auth tag is appended to the ciphertext. */
export function encryptValue(key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${ENC_PREFIX}${iv.toString('base64')}.${ct.toString('base64')}`;
}

export function decryptValue(key: Buffer, wire: string): string {
  if (!isEncrypted(wire)) throw new DecryptionError('value is not in the enc:1: wire format');
  const [ivB64, ctB64] = wire.slice(ENC_PREFIX.length).split('.');
  if (!ivB64 || !ctB64) throw new DecryptionError('malformed enc:1: value');
  const iv = Buffer.from(ivB64, 'base64');
  const data = Buffer.from(ctB64, 'base64');
  if (iv.length !== IV_BYTES || data.length < TAG_BYTES) throw new DecryptionError('malformed enc:1: value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(data.subarray(0, data.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new DecryptionError('authentication failed: wrong key or tampered value');
  }
}
