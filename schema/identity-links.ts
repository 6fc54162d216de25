import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * Which product user an external identity provider's subject is. Keyed by (iss, sub) — the only
 * stable identity an IdP asserts — never by email, which a token may carry unverified or change.
 * At most one subject per issuer and user: a second subject of the same IdP cannot attach itself
 * to an account already linked. A deleted user's links go with it.
 */
export const identityLinks = pgTable(
  'identity_links',
  {
    iss: text('iss').notNull(),
    sub: text('sub').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.iss, t.sub] }),
    uniqueIndex('identity_links_iss_user_idx').on(t.iss, t.userId),
    index('identity_links_user_idx').on(t.userId),
  ],
);

export type IdentityLink = typeof identityLinks.$inferSelect;
