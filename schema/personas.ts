import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { timestamps } from './columns.ts';
import { users } from './users.ts';
import { campaigns } from './campaigns.ts';
import {
  ACTION_OUTCOMES,
  CADENCES,
  ERROR_CLASSES,
  GOAL_OUTCOMES,
  GOAL_SOURCES,
  TICK_STATUSES,
} from './vocabulary.ts';

export const personaCadence = pgEnum('persona_cadence', CADENCES);
export const tickStatus = pgEnum('tick_status', TICK_STATUSES);
export const actionOutcome = pgEnum('action_outcome', ACTION_OUTCOMES);
/** Which side an error is on: a clumsy persona, a broken product, the policy gate, or infrastructure. */
export const errorClass = pgEnum('error_class', ERROR_CLASSES);
export const goalOutcome = pgEnum('goal_outcome', GOAL_OUTCOMES);
export const goalSource = pgEnum('goal_source', GOAL_SOURCES);

/** A goal as the catalog declares it (lib/personas/goals.ts validates it); stored with its persona. */
export interface StoredGoal {
  id: string;
  module: string;
  ask: string;
  check?: { tool: string; arguments: Record<string, unknown>; expect: Record<string, unknown> };
  scripted?: Array<{ tool: string; arguments: Record<string, unknown> }>;
}

/** A persona is 1:1 with a user of kind 'persona'; deleting the user deletes the persona. */
export const personas = pgTable(
  'personas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    archetype: text('archetype').notNull(),
    systemPrompt: text('system_prompt').notNull(),
    /** Weights per module id, summing to 1. */
    moduleMix: jsonb('module_mix').$type<Record<string, number>>().notNull(),
    cadence: personaCadence('cadence').notNull(),
    timezone: text('timezone').notNull(),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
    paused: boolean('paused').notNull().default(false),
    /** What the persona sets out to do (catalog `goals`); empty when it has none. */
    goals: jsonb('goals').$type<StoredGoal[]>().notNull().default([]),
    /** Goals per tick, sampled by the trial seed; null: all of them. */
    goalsPerTick: integer('goals_per_tick'),
    ...timestamps,
  },
  (t) => [index('personas_archetype_idx').on(t.archetype)],
);

export const personaTicks = pgTable(
  'persona_ticks',
  {
    /** The tick's Temporal workflow id (a tick is one workflow execution; its id is unique). */
    id: text('id').primaryKey(),
    personaId: uuid('persona_id')
      .notNull()
      .references(() => personas.id, { onDelete: 'cascade' }),
    runId: text('run_id'),
    status: tickStatus('status').notNull().default('running'),
    endReason: text('end_reason'),
    /** Set when the rating turn failed to rate every module used (the tick still completes). */
    ratingError: text('rating_error'),
    /** Set when the tick failed: the failure's type and message (never a secret). */
    failure: text('failure'),
    provider: text('provider'),
    model: text('model'),
    rounds: integer('rounds').notNull().default(0),
    toolCalls: integer('tool_calls').notNull().default(0),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6 }).notNull().default('0'),
    historyEvents: integer('history_events'),
    historyBytes: integer('history_bytes'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    /** Set for ticks a campaign started: which campaign, which trial (1…K) and the trial's seed. */
    campaignId: text('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    trial: integer('trial'),
    trialSeed: text('trial_seed'),
  },
  (t) => [
    index('persona_ticks_persona_idx').on(t.personaId, t.startedAt),
    index('persona_ticks_campaign_idx').on(t.campaignId, t.personaId, t.trial),
  ],
);

/** The tick and persona every action and feedback row belongs to (deleted with either). */
const tickScoped = () => ({
  tickId: text('tick_id')
    .notNull()
    .references(() => personaTicks.id, { onDelete: 'cascade' }),
  personaId: uuid('persona_id')
    .notNull()
    .references(() => personas.id, { onDelete: 'cascade' }),
});

export const personaActions = pgTable(
  'persona_actions',
  {
    /** Deterministic: `${tickId}-${seq}-${toolName}`, so a retried persist never duplicates. */
    id: text('id').primaryKey(),
    ...tickScoped(),
    round: integer('round').notNull(),
    seq: integer('seq').notNull(),
    toolName: text('tool_name').notNull(),
    toolUseId: text('tool_use_id'),
    inputHash: text('input_hash').notNull(),
    outcome: actionOutcome('outcome').notNull(),
    errorClass: errorClass('error_class'),
    /** The products file's rule that put the error on its side (`errors.persona[0] ^ENOENT`), if any. */
    errorRule: text('error_rule'),
    resultSummary: text('result_summary'),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('persona_actions_tick_idx').on(t.tickId),
    index('persona_actions_persona_idx').on(t.personaId, t.createdAt),
    index('persona_actions_input_hash_idx').on(t.inputHash),
  ],
);

export const personaFeedback = pgTable(
  'persona_feedback',
  {
    /** Deterministic: `${tickId}-${module}`: one rating per module per tick. */
    id: text('id').primaryKey(),
    ...tickScoped(),
    /** A module id, or `__parse` when the rating turn's output could not be parsed. */
    module: text('module').notNull(),
    rating: integer('rating'),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('persona_feedback_module_idx').on(t.module, t.createdAt),
    check('persona_feedback_rating_range', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`),
  ],
);

/**
 * Idempotency keys of tool calls: a repeat of the same key by the same user returns the stored result
 * instead of writing again. The row is written in the same transaction as the tool's own write.
 */
export const toolIdempotency = pgTable(
  'tool_idempotency',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    toolName: text('tool_name').notNull(),
    inputHash: text('input_hash').notNull(),
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('tool_idempotency_created_idx').on(t.createdAt)],
);

/**
 * One row per (tick, goal): how the goal ended and the evidence — the check's result, trimmed, and
 * sealed like transcripts when the check tool has encrypted fields — or the persona's own word.
 */
export const personaGoals = pgTable(
  'persona_goals',
  {
    /** Deterministic: `${tickId}-${goalId}`, so a retried persist never duplicates. */
    id: text('id').primaryKey(),
    ...tickScoped(),
    goalId: text('goal_id').notNull(),
    module: text('module').notNull(),
    source: goalSource('source').notNull(),
    outcome: goalOutcome('outcome').notNull(),
    /** The check's result (trimmed; sealed when the tool has encrypted fields), or why there is none. */
    evidence: jsonb('evidence'),
    /** The persona's own account (self-reported goals): `{ achieved, why }`. */
    selfReport: jsonb('self_report'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('persona_goals_tick_idx').on(t.tickId),
    index('persona_goals_module_idx').on(t.module, t.createdAt),
  ],
);
