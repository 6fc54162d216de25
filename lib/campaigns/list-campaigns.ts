import { desc, eq } from 'drizzle-orm';
import { campaigns } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { didYouMean } from '../did-you-mean.ts';
import { UsageError } from '../errors.ts';

export interface CampaignListing {
  id: string;
  label: string;
  status: string;
  personas: number;
  trials: number;
  provider: string;
  model: string;
  codeVersion: string;
  startedAt: string;
  endedAt: string | null;
}

/** Campaigns newest first, optionally of one label; an unknown label is a usage error with the closest ones. */
export async function listCampaigns(
  db: Db,
  opts: { label?: string; limit: number },
): Promise<CampaignListing[]> {
  const rows = await db
    .select({
      id: campaigns.id,
      label: campaigns.label,
      status: campaigns.status,
      personas: campaigns.personas,
      trials: campaigns.trials,
      provider: campaigns.provider,
      model: campaigns.model,
      codeVersion: campaigns.codeVersion,
      startedAt: campaigns.startedAt,
      endedAt: campaigns.endedAt,
    })
    .from(campaigns)
    .where(opts.label === undefined ? undefined : eq(campaigns.label, opts.label))
    .orderBy(desc(campaigns.startedAt))
    .limit(opts.limit);
  if (!rows.length && opts.label !== undefined) {
    const labels = await db.selectDistinct({ label: campaigns.label }).from(campaigns);
    throw new UsageError(
      `no campaign labelled "${opts.label}"${didYouMean(
        opts.label,
        labels.map((l) => l.label),
      )}`,
    );
  }
  return rows.map((r) => ({
    ...r,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
  }));
}
