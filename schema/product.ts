// The built-in demo product the personas use: habits, todos, notes, journal entries.
// Every row is scoped to a user and a space.
import { date, index, integer, pgEnum, pgTable, text, timestamp, uuid, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { timestamps } from './columns.ts';
import { users } from './users.ts';
import { spaces } from './spaces.ts';

const owned = {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  spaceId: uuid('space_id')
    .notNull()
    .references(() => spaces.id, { onDelete: 'cascade' }),
};

export const habitCadence = pgEnum('habit_cadence', ['daily', 'weekly']);
export const todoPriority = pgEnum('todo_priority', ['low', 'normal', 'high']);

export const habits = pgTable(
  'habits',
  {
    ...owned,
    name: text('name').notNull(),
    cadence: habitCadence('cadence').notNull().default('daily'),
    targetPerPeriod: integer('target_per_period').notNull().default(1),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index('habits_space_idx').on(t.spaceId, t.userId)],
);

export const todos = pgTable(
  'todos',
  {
    ...owned,
    title: text('title').notNull(),
    dueDate: date('due_date'),
    priority: todoPriority('priority').notNull().default('normal'),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index('todos_space_idx').on(t.spaceId, t.userId)],
);

export const notes = pgTable(
  'notes',
  {
    ...owned,
    title: text('title').notNull(),
    /** Encrypted (`enc:1:` wire format); see mcp-gateway/crypto/encryption-registry.ts. */
    body: text('body').notNull(),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    ...timestamps,
  },
  (t) => [index('notes_space_idx').on(t.spaceId, t.userId)],
);

export const journalEntries = pgTable(
  'journal_entries',
  {
    ...owned,
    /** Encrypted (`enc:1:` wire format). */
    body: text('body').notNull(),
    mood: integer('mood'),
    entryDate: date('entry_date').notNull(),
    ...timestamps,
  },
  (t) => [
    index('journal_space_idx').on(t.spaceId, t.userId),
    check('journal_mood_range', sql`${t.mood} IS NULL OR ${t.mood} BETWEEN 1 AND 5`),
  ],
);
