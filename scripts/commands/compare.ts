import type { Command } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { compareCampaigns, DEFAULT_COMPARE_OPTIONS } from '../../lib/verdicts/compare.ts';
import { formatComparison } from '../../lib/verdicts/format-comparison.ts';
import { gateFails } from '../../lib/verdicts/gate.ts';
import { toJUnit } from '../../lib/verdicts/junit.ts';
import { withDatabase } from '../context.ts';
import { withHtmlOptions, writeComparisonHtml, type HtmlFlags } from './html-output.ts';
import { numberIn, wholeNumber } from './options.ts';
import { addOutputOptions, checkOutputFlags, writeOutputs, type OutputFlags } from './output.ts';

interface CompareFlags extends OutputFlags, HtmlFlags {
  minRating: number;
  minErrorRate: number;
  minCompletion: number;
  minGoal: number;
  passRating: number;
  failOnInsufficient?: boolean;
  failOnPersonaRegression?: boolean;
}

/** Thrown when both sides of a comparison are the same campaign: nothing could ever regress (exit 2). */
export class SameCampaignError extends UsageError {
  override readonly code = 'SAME_CAMPAIGN';
}

export function registerCompareCommand(program: Command): void {
  const command = withHtmlOptions(program.command('compare'))
    .description(
      'judge a candidate campaign against a baseline: completion and pass^1, ratings per module, error rates per tool, and who got hurt; ' +
        'exit 1 when anything regressed or went missing, 2 on bad input (unknown label, empty campaign), 0 otherwise',
    )
    .argument('<baseline>', 'campaign id or label (the latest campaign with that label)')
    .argument('<candidate>', 'campaign id or label')
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
    .option('--fail-on-persona-regression', 'exit 1 also when a persona dropped in every trial of a module');
  addOutputOptions(command, 'the comparison')
    .addHelpText(
      'after',
      `
Examples:
  $ personas run --label base && personas run --label cand   two campaigns (same seeds: paired)
  $ personas compare base cand                               exit 1 if anything regressed
  $ personas compare base cand --markdown verdict.md --junit junit.xml   files for a pull request and CI
  $ personas compare base cand --json | jq .regressed`,
    )
    .action(async (baselineRef: string, candidateRef: string, opts: CompareFlags) => {
      checkOutputFlags(opts);
      if (baselineRef === candidateRef) throw sameCampaign(baselineRef);
      await withDatabase('compare', async (db) => {
        const [baseline, candidate] = await Promise.all([
          loadCampaignData(db, baselineRef),
          loadCampaignData(db, candidateRef),
        ]);
        if (baseline.campaign.id === candidate.campaign.id)
          throw sameCampaign(`${baselineRef}" and "${candidateRef}`, baseline.campaign.id);
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
        await writeOutputs(opts, {
          json: () => c,
          text: () => formatComparison(c),
          markdown: () => formatComparison(c, true),
          junit: () => toJUnit(c, gate),
        });
        if (gateFails(c, gate)) process.exitCode = 1;
      });
    });
}

const sameCampaign = (refs: string, id?: string) =>
  new SameCampaignError(
    `compare: "${refs}" ${id ? `are the same campaign (${id})` : 'is the same campaign on both sides'}; a campaign compared with itself can never regress. ` +
      'Compare a baseline with a candidate: personas campaigns lists them',
  );
