import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS } from '../../lib/verdicts/compare.ts';
import { formatComparison } from '../../lib/verdicts/format.ts';
import { toJUnit } from '../../lib/verdicts/junit.ts';
import { printJson, withContext } from '../context.ts';
import { numberIn, wholeNumber } from './options.ts';

interface CompareOptions {
  json?: boolean;
  junit?: string;
  markdown?: string;
  minRating: number;
  minPersonas: number;
  minErrorRate: number;
  passRating: number;
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'judge a candidate campaign against a baseline per module (ratings) and per tool (error rates), with intervals; ' +
        'exit 1 when anything regressed, 2 on bad input (unknown label, empty campaign), 0 otherwise',
    )
    .argument('<baseline>', 'campaign id or label (the latest campaign with that label)')
    .argument('<candidate>', 'campaign id or label')
    .option('--json', 'the comparison as JSON on stdout')
    .option('--junit <file>', 'also write JUnit XML (one test case per module and per tool) for CI')
    .option('--markdown <file>', 'also write a Markdown table (for a pull-request comment)')
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
      '--min-personas <n>',
      'fewest personas with ratings of a module for a module verdict (fewer: insufficient)',
      wholeNumber(2, 10_000),
      DEFAULT_COMPARE_OPTIONS.minPersonas,
    )
    .option(
      '--pass-rating <n>',
      'for pass^k: a trial passes only if no module is rated below this',
      wholeNumber(1, 5),
      DEFAULT_COMPARE_OPTIONS.passRating,
    )
    .action(async (baselineRef: string, candidateRef: string, opts: CompareOptions) => {
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
          minPersonas: opts.minPersonas,
          passRating: opts.passRating,
        });
        if (opts.junit) await writeFile(opts.junit, toJUnit(c));
        if (opts.markdown) await writeFile(opts.markdown, `${formatComparison(c, true)}\n`);
        if (opts.json) printJson(c);
        else process.stdout.write(`${formatComparison(c)}\n`);
        if (c.regressed.length) process.exitCode = 1;
      });
    });
}
