import { index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { CAMPAIGN_STATUSES } from './vocabulary.ts';

export const campaignStatus = pgEnum('campaign_status', CAMPAIGN_STATUSES);

/**
 * A campaign: K trials per persona, run as one `personaCampaign` workflow. It records what it ran
 * against (provider, model, catalog, product, prompts, code), so two campaigns can be compared and
 * a difference traced to what changed between them.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    /** The campaign's Temporal workflow id. */
    id: text('id').primaryKey(),
    label: text('label').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    /** SHA-256 over the participating personas' definitions (prompt, archetype, module mix, …). */
    catalogHash: text('catalog_hash').notNull(),
    /** Per product (module): SHA-256 over its tools' names, descriptions and schemas, as the gateway lists them. */
    productFingerprint: jsonb('product_fingerprint').$type<Record<string, string>>().notNull(),
    promptVersion: text('prompt_version').notNull(),
    codeVersion: text('code_version').notNull(),
    trials: integer('trials').notNull(),
    /** The base every trial seed derives from; equal bases make two campaigns pairable. */
    seedBase: text('seed_base').notNull(),
    personas: integer('personas').notNull(),
    status: campaignStatus('status').notNull().default('running'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
  },
  (t) => [index('campaigns_label_idx').on(t.label, t.startedAt)],
);
