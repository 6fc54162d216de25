import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { personaTicks } from './personas.ts';

/**
 * Conversation parts of a tick, kept here instead of in workflow history so history stays small.
 * Keyed by (tick, round, part, part_key): a retried model call or tool call replaces its row
 * instead of appending. `part` is `assistant` (the model's content blocks for that round),
 * `tool_result` (one per tool_use_id, part_key = tool_use_id), `rating` (the rating turn's raw output)
 * or `opening` (round 0: the day prompt with its recap, so every round re-sends the same words).
 * `content` is sealed (lib/ticks/transcript-seal.ts); parts older than TRANSCRIPT_RETENTION_DAYS are
 * purged by the transcript purge schedule.
 */
export const personaTranscript = pgTable(
  'persona_transcript',
  {
    tickId: text('tick_id')
      .notNull()
      .references(() => personaTicks.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    part: text('part', { enum: ['opening', 'assistant', 'tool_result', 'rating'] }).notNull(),
    partKey: text('part_key').notNull().default(''),
    content: jsonb('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tickId, t.round, t.part, t.partKey] }),
    index('persona_transcript_tick_idx').on(t.tickId),
    // The retention purge finds old parts through this index, batch by batch.
    index('persona_transcript_created_idx').on(t.createdAt),
  ],
);
