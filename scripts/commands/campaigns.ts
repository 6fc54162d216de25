import type { Command } from 'commander';
import { listCampaigns, type CampaignListing } from '../../lib/campaigns/list-campaigns.ts';
import { table } from '../../lib/verdicts/format.ts';
import { printJson, withDatabase } from '../context.ts';
import { wholeNumber } from './options.ts';

/** `2026-12-07 14:02` in UTC: short enough for a table, unambiguous across machines. */
const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–');

function campaignsTable(rows: CampaignListing[]): string {
  return table(
    ['label', 'status', 'personas × trials', 'provider/model', 'code', 'started (UTC)', 'ended', 'id'],
    rows.map((c) => [
      c.label,
      c.status,
      `${c.personas} × ${c.trials}`,
      `${c.provider}/${c.model}`,
      c.codeVersion.slice(0, 12),
      when(c.startedAt),
      when(c.endedAt),
      c.id,
    ]),
    false,
  );
}

export function registerCampaignsCommand(program: Command): void {
  const campaigns = program
    .command('campaigns')
    .description('the campaigns in the database, newest first (what report and compare take)');
  campaigns
    .command('list', { isDefault: true })
    .description(
      'list campaigns: label, status, personas × trials, provider/model, code version, started/ended',
    )
    .option('--label <label>', 'only campaigns with this label')
    .option('--limit <n>', 'at most this many', wholeNumber(1, 10_000), 50)
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ personas campaigns                  the latest 50
  $ personas campaigns --label base     every run labelled "base"
  $ personas campaigns --json | jq '.[0].id'`,
    )
    .action(async (opts: { label?: string; limit: number; json?: boolean }) => {
      await withDatabase('campaigns', async (db) => {
        const rows = await listCampaigns(db, opts);
        if (opts.json) return printJson(rows);
        if (!rows.length) {
          process.stderr.write('no campaigns yet: personas run --label base makes one\n');
          return;
        }
        process.stdout.write(`${campaignsTable(rows)}\n`);
      });
    });
}
