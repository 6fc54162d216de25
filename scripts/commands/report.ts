import type { Command } from 'commander';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { formatReport } from '../../lib/verdicts/format.ts';
import { reportToJUnit } from '../../lib/verdicts/junit-report.ts';
import { campaignReport, DEFAULT_REPORT_OPTIONS, type CampaignReport } from '../../lib/verdicts/report.ts';
import { withDatabase } from '../context.ts';
import { withHtmlOptions, writeCampaignHtml, type HtmlFlags } from './html-output.ts';
import { wholeNumber } from './options.ts';
import {
  addOutputOptions,
  checkOutputFlags,
  writeOutputs,
  type OutputFlags,
  type Renderers,
} from './output.ts';

/** A campaign report in every format of the output convention (`run` prints the same). */
export const reportRenderers = (report: CampaignReport, json: () => unknown = () => report): Renderers => ({
  json,
  text: () => formatReport(report),
  markdown: () => formatReport(report, true),
  junit: () => reportToJUnit(report),
});

type ReportFlags = { passRating: number } & OutputFlags & HtmlFlags;

export function registerReportCommand(program: Command): void {
  const command = withHtmlOptions(program.command('report'))
    .description(
      'the numbers of one campaign: ratings per module with intervals, error rates per tool, completion, pass^k, tokens and cost (exit 2 if unknown or empty)',
    )
    .argument('<campaign>', 'campaign id or label (the latest campaign with that label)')
    .option(
      '--pass-rating <n>',
      'a trial passes only if no module is rated below this',
      wholeNumber(1, 5),
      DEFAULT_REPORT_OPTIONS.passRating,
    );
  addOutputOptions(command, 'the report')
    .addHelpText(
      'after',
      `
Examples:
  $ personas report base                     text tables of the latest campaign labelled "base"
  $ personas report base --markdown          the same as Markdown on stdout
  $ personas report base --json | jq .completion
  $ personas report base --junit report.xml  a JUnit test case per persona (fails when a trial failed)`,
    )
    .action(async (ref: string, opts: ReportFlags) => {
      checkOutputFlags(opts);
      await withDatabase('report', async (db) => {
        const data = await loadCampaignData(db, ref);
        const report = campaignReport(data, { ...DEFAULT_REPORT_OPTIONS, passRating: opts.passRating });
        await writeCampaignHtml(db, opts, data, report);
        await writeOutputs(opts, reportRenderers(report));
      });
    });
}
