import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, timestamp } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.ts';
import { users } from './users.ts';

export const spaceType = pgEnum('space_type', ['personal', 'family', 'team']);
export const membershipRole = pgEnum('membership_role', ['owner', 'member']);

export const spaces = pgTable(
  'spaces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    type: spaceType('type').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [
    // "Never two personal spaces": the database itself enforces it, so concurrent signups cannot race.
    uniqueIndex('spaces_one_personal_per_owner')
      .on(t.ownerId)
      .where(sql`${t.type} = 'personal'`),
    index('spaces_owner_idx').on(t.ownerId),
  ],
);

export const spaceMemberships = pgTable(
  'space_memberships',
  {
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: membershipRole('role').notNull().default('member'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.userId] }), index('space_memberships_user_idx').on(t.userId)],
);

export type Space = typeof spaces.$inferSelect;
