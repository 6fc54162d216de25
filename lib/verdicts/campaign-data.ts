import { desc, eq, inArray, or } from 'drizzle-orm';
import {
  campaigns,
  personaActions,
  personaFeedback,
  personaGoals,
  personas,
  personaTicks,
} from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { UsageError } from '../errors.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { ErrorClass, GoalOutcome, GoalSource } from '../../schema/vocabulary.ts';

export type CampaignRow = typeof campaigns.$inferSelect;

/** One trial (tick) of a campaign with what the verdicts need from it. */
export interface TrialData {
  tickId: string;
  personaId: string;
  trial: number | null;
  trialSeed: string | null;
  status: string;
  tokens: number;
  costUsd: number;
  ratings: Record<string, number>;
  actions: Array<{ tool: string; errorClass: ErrorClass | null }>;
  /** How the trial's goals ended, by goal id. */
  goals: Record<string, { module: string; source: GoalSource; outcome: GoalOutcome }>;
}

export interface CampaignData {
  campaign: CampaignRow;
  trials: TrialData[];
  /** Who each persona is, for the "who got hurt" list (persona id → name and archetype). */
  personas: Record<string, { name: string; archetype: string }>;
}

/** Thrown when a label or id names no campaign, or the campaign has no ticks (exit 2). */
export class CampaignNotFound extends UsageError {}

/** A campaign by id, or the latest one with that label. */
export async function resolveCampaign(db: Db, ref: string): Promise<CampaignRow> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(or(eq(campaigns.id, ref), eq(campaigns.label, ref)))
    .orderBy(desc(eq(campaigns.id, ref)), desc(campaigns.startedAt))
    .limit(1);
  if (!row) {
    const labels = await db.selectDistinct({ label: campaigns.label }).from(campaigns);
    const hint = didYouMean(
      ref,
      labels.map((l) => l.label),
    );
    throw new CampaignNotFound(
      `no campaign with id or label "${ref}"${hint || ` (personas run --label ${ref} makes one)`}; personas campaigns lists them`,
    );
  }
  return row;
}

/** Everything a report or a comparison reads about one campaign: its ticks, ratings and actions. */
export async function loadCampaignData(db: Db, ref: string): Promise<CampaignData> {
  const campaign = await resolveCampaign(db, ref);
  const ticks = await db.select().from(personaTicks).where(eq(personaTicks.campaignId, campaign.id));
  if (!ticks.length)
    throw new CampaignNotFound(
      `campaign "${ref}" (${campaign.id}) has no ticks: it is empty (still starting, or its trials never ran)`,
    );
  const ids = ticks.map((t) => t.id);
  const personaIds = [...new Set(ticks.map((t) => t.personaId))];
  const [feedback, actions, goals, who] = await Promise.all([
    db
      .select({
        tickId: personaFeedback.tickId,
        module: personaFeedback.module,
        rating: personaFeedback.rating,
      })
      .from(personaFeedback)
      .where(inArray(personaFeedback.tickId, ids)),
    db
      .select({
        tickId: personaActions.tickId,
        tool: personaActions.toolName,
        errorClass: personaActions.errorClass,
      })
      .from(personaActions)
      .where(inArray(personaActions.tickId, ids)),
    db
      .select({
        tickId: personaGoals.tickId,
        goalId: personaGoals.goalId,
        module: personaGoals.module,
        source: personaGoals.source,
        outcome: personaGoals.outcome,
      })
      .from(personaGoals)
      .where(inArray(personaGoals.tickId, ids)),
    db
      .select({ id: personas.id, name: personas.displayName, archetype: personas.archetype })
      .from(personas)
      .where(inArray(personas.id, personaIds)),
  ]);
  const byTick = new Map<string, TrialData>(
    ticks.map((t) => [
      t.id,
      {
        tickId: t.id,
        personaId: t.personaId,
        trial: t.trial,
        trialSeed: t.trialSeed,
        status: t.status,
        tokens: t.inputTokens + t.outputTokens + t.cacheWriteTokens + t.cacheReadTokens,
        costUsd: Number(t.costUsd),
        ratings: {},
        actions: [],
        goals: {},
      },
    ]),
  );
  for (const f of feedback) if (f.rating !== null) byTick.get(f.tickId)!.ratings[f.module] = f.rating;
  for (const a of actions) byTick.get(a.tickId)!.actions.push({ tool: a.tool, errorClass: a.errorClass });
  for (const g of goals)
    byTick.get(g.tickId)!.goals[g.goalId] = { module: g.module, source: g.source, outcome: g.outcome };
  return {
    campaign,
    trials: [...byTick.values()],
    personas: Object.fromEntries(who.map((p) => [p.id, { name: p.name, archetype: p.archetype }])),
  };
}
