import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS } from '../../lib/verdicts/compare.ts';
import { formatComparison } from '../../lib/verdicts/format-comparison.ts';
import { gateFails } from '../../lib/verdicts/gate.ts';
import { toJUnit } from '../../lib/verdicts/junit.ts';
import { printJson, withContext } from '../context.ts';
import { withHtmlOptions, writeComparisonHtml, type HtmlFlags } from './html-output.ts';
import { numberIn, wholeNumber } from './options.ts';

interface CompareFlags extends HtmlFlags {
  json?: boolean;
  junit?: string;
  markdown?: string;
  minRating: number;
  minErrorRate: number;
  minCompletion: number;
  minGoal: number;
  passRating: number;
  failOnInsufficient?: boolean;
  failOnPersonaRegression?: boolean;
}

export function registerCompareCommand(program: Command): void {
  withHtmlOptions(program.command('compare'))
    .description(
      'judge a candidate campaign against a baseline: completion and pass^1, ratings per module, error rates per tool, and who got hurt; ' +
        'exit 1 when anything regressed or went missing, 2 on bad input (unknown label, empty campaign), 0 otherwise',
    )
    .argument('<baseline>', 'campaign id or label (the latest campaign with that label)')
    .argument('<candidate>', 'campaign id or label')
    .option('--json', 'the comparison as JSON on stdout')
    .option(
      '--junit <file>',
      'also write JUnit XML (a test case per row and per persona who got hurt) for CI',
    )
    .option('--markdown <file>', 'also write the tables as Markdown (for a pull-request comment)')
    .option(
      '--min-rating <stars>',
      'smallest rating change that counts',
      numberIn(0, 4),
      DEFAULT_COMPARE_OPTIONS.minRatingEffect,
    )
    .option(
      '--min-error-rate <points>',
      'smallest error-rate change that counts, in percentage points',
      numberIn(0, 100),
      DEFAULT_COMPARE_OPTIONS.minErrorRateEffect * 100,
    )
    .option(
      '--min-completion <points>',
      'smallest change of completion (completed and rated) and of pass^1 that counts, in percentage points',
      numberIn(0, 100),
      DEFAULT_COMPARE_OPTIONS.minCompletionEffect * 100,
    )
    .option(
      '--min-goal <points>',
      "smallest change of a checked goal's success that counts, in percentage points",
      numberIn(0, 100),
      DEFAULT_COMPARE_OPTIONS.minGoalEffect * 100,
    )
    .option(
      '--pass-rating <n>',
      'for pass^k: a trial passes only if no module is rated below this',
      wholeNumber(1, 5),
      DEFAULT_COMPARE_OPTIONS.passRating,
    )
    .option('--fail-on-insufficient', 'exit 1 also when a row had too few personas to be judged')
    .option('--fail-on-persona-regression', 'exit 1 also when a persona dropped in every trial of a module')
    .action(async (baselineRef: string, candidateRef: string, opts: CompareFlags) => {
      await withContext('compare', async (ctx) => {
        const { db } = await ctx.database();
        const [baseline, candidate] = await Promise.all([
          loadCampaignData(db, baselineRef),
          loadCampaignData(db, candidateRef),
        ]);
        const c = compareCampaigns(baseline, candidate, {
          ...DEFAULT_COMPARE_OPTIONS,
          minRatingEffect: opts.minRating,
          minErrorRateEffect: opts.minErrorRate / 100,
          minCompletionEffect: opts.minCompletion / 100,
          minGoalEffect: opts.minGoal / 100,
          passRating: opts.passRating,
        });
        const gate = {
          failOnInsufficient: !!opts.failOnInsufficient,
          failOnPersonaRegression: !!opts.failOnPersonaRegression,
        };
        await writeComparisonHtml(db, opts, c);
        if (opts.junit) await writeFile(opts.junit, toJUnit(c, gate));
        if (opts.markdown) await writeFile(opts.markdown, `${formatComparison(c, true)}\n`);
        if (opts.json) printJson(c);
        else process.stdout.write(`${formatComparison(c)}\n`);
        if (gateFails(c, gate)) process.exitCode = 1;
      });
    });
}
