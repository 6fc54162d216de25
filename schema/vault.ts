import { boolean, pgTable, text, uuid, timestamp, jsonb } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Per-user master key (MK) for field encryption, stored wrapped (AES-GCM) by the server's
 * key-encryption key. A zero-knowledge user has no wrapped key: the server cannot decrypt their data.
 */
export const vaultKeys = pgTable('vault_keys', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  wrappedKey: text('wrapped_key'),
  zeroKnowledge: boolean('zero_knowledge').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The gateway's JWT signing keys; the private half is wrapped by the same key-encryption key. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').notNull(),
  privateJwkWrapped: text('private_jwk_wrapped').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
