// `--html FILE` and `--dashboard-url URL` for report, compare and run: one place that adds the flags
// and writes the self-contained page, so each command gains two lines.
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Db } from '../../lib/db/client.ts';
import type { CampaignData } from '../../lib/verdicts/campaign-data.ts';
import type { Comparison } from '../../lib/verdicts/compare.ts';
import { renderCampaignHtml } from '../../lib/verdicts/html/campaign-html.ts';
import { renderComparisonHtml } from '../../lib/verdicts/html/comparison-html.ts';
import { loadRatingNotes } from '../../lib/verdicts/rating-notes.ts';
import type { CampaignReport } from '../../lib/verdicts/report.ts';

export interface HtmlFlags {
  html?: string;
  dashboardUrl?: string;
}

const httpUrl = (value: string): string => {
  if (!/^https?:\/\/[^/\s]+/i.test(value))
    throw new InvalidArgumentError('expected the dashboard’s http(s) URL, such as http://localhost:3070');
  return value;
};

/** Adds `--html <file>` and `--dashboard-url <url>` (or PERSONA_DASHBOARD_URL) to a command. */
export function withHtmlOptions(cmd: Command): Command {
  return cmd
    .option('--html <file>', 'also write a self-contained HTML report (one file, no scripts, reads offline)')
    .addOption(
      new Option('--dashboard-url <url>', 'with --html: link rows and ratings to the ticks on this dashboard')
        .env('PERSONA_DASHBOARD_URL')
        .argParser(httpUrl),
    );
}

/** Writes one campaign's HTML report when `--html` was given. */
export async function writeCampaignHtml(
  db: Db,
  flags: HtmlFlags,
  data: CampaignData,
  report: CampaignReport,
): Promise<void> {
  if (!flags.html) return;
  const notes = await loadRatingNotes(db, data.campaign.id);
  const page = renderCampaignHtml({
    report,
    personas: data.personas,
    notes,
    dashboardUrl: flags.dashboardUrl,
  });
  await writeFile(flags.html, page);
}

/** Writes a comparison's HTML report when `--html` was given. */
export async function writeComparisonHtml(db: Db, flags: HtmlFlags, comparison: Comparison): Promise<void> {
  if (!flags.html) return;
  const notes = await loadRatingNotes(db, comparison.candidate.campaign.id);
  await writeFile(flags.html, renderComparisonHtml({ comparison, notes, dashboardUrl: flags.dashboardUrl }));
}
