import { boolean, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';

export const userKind = pgEnum('user_kind', ['human', 'persona', 'system']);
/** `admin` unlocks admin-scope tools; the others are product plans. */
export const userTier = pgEnum('user_tier', ['free', 'pro', 'admin']);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(),
    kind: userKind('kind').notNull().default('human'),
    tier: userTier('tier').notNull().default('free'),
    /** scrypt hash (`scrypt$N$r$p$salt$hash`); never the password itself. */
    passwordHash: text('password_hash'),
    /** Policy gate: destructive tools are denied unless the user opted in. */
    destructiveOptIn: boolean('destructive_opt_in').notNull().default(false),
    ...timestamps,
  },
  (t) => [index('users_kind_idx').on(t.kind)],
);

export type User = typeof users.$inferSelect;
