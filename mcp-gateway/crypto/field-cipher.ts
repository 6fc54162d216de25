import { decryptValue, encryptValue } from '../../lib/demo-product/aes-gcm.ts';
import { encryptionRegistry, type EncryptionRegistry } from './encryption-registry.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

/**
 * Thrown when a zero-knowledge user calls a tool on encrypted data: the server holds no usable key.
 * Surfaces to the model as a tool error it can act on (use another module).
 */
export class ZeroKnowledgeError extends PersonaRunnerError {
  override readonly code = 'ZERO_KNOWLEDGE';
  constructor(readonly table: string) {
    super(
      `this account is zero-knowledge: the server holds no key to read or write encrypted ${table} data; ` +
        'use a module without encrypted fields (habits, todos) or a client that encrypts locally',
    );
  }
}

/** Encrypts and decrypts a table's registered fields with one user's master key (or none). */
export class FieldCipher {
  constructor(
    private readonly masterKey: Buffer | undefined,
    private readonly registry: EncryptionRegistry = encryptionRegistry,
  ) {}

  private fieldsOf(table: string): readonly string[] {
    const entry = this.registry[table];
    if (!entry?.enabled) return [];
    if (!this.masterKey) throw new ZeroKnowledgeError(table);
    return entry.fields;
  }

  seal<T extends Record<string, unknown>>(table: string, row: T): T {
    const out: Record<string, unknown> = { ...row };
    for (const f of this.fieldsOf(table)) {
      if (typeof out[f] === 'string') out[f] = encryptValue(this.masterKey!, out[f]);
    }
    return out as T;
  }

  open<T extends Record<string, unknown>>(table: string, row: T): T {
    const out: Record<string, unknown> = { ...row };
    for (const f of this.fieldsOf(table)) {
      if (typeof out[f] === 'string') out[f] = decryptValue(this.masterKey!, out[f]);
    }
    return out as T;
  }
}
