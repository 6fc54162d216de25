import { eq } from 'drizzle-orm';
import { campaigns, personaTicks } from '../../schema/index.ts';
import { summarizeTicks } from '../../lib/ticks/summary.ts';
import type { CampaignSummary, CloseCampaignInput } from '../../workflows/campaign-contract.ts';
import type { ActivityDeps } from '../deps.ts';

/** Closes a campaign: its status, end time and a summary over its ticks, computed from Postgres. */
export function createCloseCampaign(deps: ActivityDeps) {
  return async function closeCampaign(input: CloseCampaignInput): Promise<CampaignSummary> {
    const ids = await deps.db
      .select({ id: personaTicks.id })
      .from(personaTicks)
      .where(eq(personaTicks.campaignId, input.campaignId));
    const s = await summarizeTicks(
      deps.db,
      ids.map((r) => r.id),
    );
    const tokens = s.tokens.input + s.tokens.output + s.tokens.cacheWrite + s.tokens.cacheRead;
    const summary: CampaignSummary = {
      ticks: s.ticks,
      byStatus: s.byStatus,
      actions: s.actions,
      errorsByClass: s.errorsByClass,
      ratings: s.ratingsPerModule,
      tokensPerTick: s.ticks ? tokens / s.ticks : 0,
      costPerTickUsd: s.ticks ? s.costUsd / s.ticks : 0,
    };
    await deps.db
      .update(campaigns)
      .set({
        status: input.status,
        endedAt: new Date(),
        summary: summary as unknown as Record<string, unknown>,
      })
      .where(eq(campaigns.id, input.campaignId));
    return summary;
  };
}
