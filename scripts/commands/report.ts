import type { Command } from 'commander';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { formatReport } from '../../lib/verdicts/format.ts';
import { campaignReport, DEFAULT_REPORT_OPTIONS } from '../../lib/verdicts/report.ts';
import { printJson, withContext } from '../context.ts';
import { withHtmlOptions, writeCampaignHtml, type HtmlFlags } from './html-output.ts';
import { wholeNumber } from './options.ts';

type ReportFlags = { passRating: number; markdown?: boolean; json?: boolean } & HtmlFlags;

export function registerReportCommand(program: Command): void {
  withHtmlOptions(program.command('report'))
    .description(
      'the numbers of one campaign: ratings per module with intervals, error rates per tool, completion, pass^k, tokens and cost (exit 2 if unknown or empty)',
    )
    .argument('<campaign>', 'campaign id or label (the latest campaign with that label)')
    .option(
      '--pass-rating <n>',
      'a trial passes only if no module is rated below this',
      wholeNumber(1, 5),
      DEFAULT_REPORT_OPTIONS.passRating,
    )
    .option('--markdown', 'Markdown tables instead of plain text')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: ReportFlags) => {
      await withContext('report', async (ctx) => {
        const { db } = await ctx.database();
        const data = await loadCampaignData(db, ref);
        const report = campaignReport(data, { ...DEFAULT_REPORT_OPTIONS, passRating: opts.passRating });
        await writeCampaignHtml(db, opts, data, report);
        if (opts.json) printJson(report);
        else process.stdout.write(`${formatReport(report, opts.markdown)}\n`);
      });
    });
}
