import type { Command } from 'commander';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../lib/db/client.ts';
import { UsageError } from '../../lib/errors.ts';
import { didYouMean } from '../../lib/did-you-mean.ts';
import { DEFAULT_CATALOG, loadCatalog } from '../../lib/personas/catalog.ts';
import { servedModules } from '../../lib/products/products-config.ts';
import { findPersona, livePersonas, type LivePersona } from '../../lib/personas/live-personas.ts';
import { startCampaign, type CampaignHandle } from '../../lib/campaigns/start-campaign.ts';
import { loadCampaignData } from '../../lib/verdicts/campaign-data.ts';
import { campaignReport } from '../../lib/verdicts/report.ts';
import { loadGatewayConfig, type GatewayConfig } from '../../mcp-gateway/config.ts';
import { builtinToolLookup } from '../../mcp-gateway/tools/index.ts';
import { CAMPAIGN_LIMITS, progressQuery, type CampaignProgress } from '../../workflows/campaign-contract.ts';
import { openCliContext, printJson, type CliContext } from '../context.ts';
import { withProgress } from '../progress.ts';
import { startLocalStack } from '../up/stack.ts';
import { withHtmlOptions, writeCampaignHtml, type HtmlFlags } from './html-output.ts';
import { wholeNumber } from './options.ts';
import { addOutputOptions, checkOutputFlags, writeOutputs, type OutputFlags } from './output.ts';
import { reportRenderers } from './report.ts';

interface RunOptions extends OutputFlags, HtmlFlags {
  label: string;
  trials: number;
  persona?: string[];
  concurrency: number;
  seed: string;
  catalog: string;
  products?: string;
  attach?: string;
  detach?: boolean;
}

/** Where the campaign runs: a deployed Temporal (TEMPORAL_ADDRESS) or the stack `up` starts. */
interface RunEnv {
  db: Db;
  client: Client;
  taskQueue: string;
  embedded: boolean;
  /** Embedded: the personas of the catalog it seeded, the campaign's default selection. */
  catalogEmails?: string[];
  close(): Promise<void>;
}

async function openRunEnv(ctx: CliContext, opts: RunOptions, gatewayConfig: GatewayConfig): Promise<RunEnv> {
  const taskQueue = ctx.config.temporal.taskQueue;
  if (ctx.config.temporal.address) {
    const { db } = await ctx.database();
    const { client } = await ctx.temporal();
    return { db, client, taskQueue, embedded: false, close: () => ctx.close() };
  }
  const say = (m: string) => process.stderr.write(`${m}\n`);
  const stack = await startLocalStack({
    workerConfig: ctx.config,
    gatewayConfig,
    logger: ctx.logger,
    catalog: opts.catalog,
    say,
  });
  return {
    db: stack.database.db,
    client: stack.client,
    taskQueue,
    embedded: true,
    catalogEmails: stack.catalogEmails,
    close: () => stack.stop(),
  };
}

/**
 * The campaign's personas: the ones named (`--persona`), else the catalog's the embedded stack seeded,
 * else every persona; paused ones only when named (a paused persona's tick waits to be resumed).
 */
async function choosePersonas(
  db: Db,
  named: string[] | undefined,
  catalog: string[] | undefined,
): Promise<LivePersona[]> {
  if (!named?.length) {
    const wanted = catalog && new Set(catalog);
    const all = (await livePersonas(db)).filter((p) => !p.paused && (!wanted || wanted.has(p.email)));
    if (!all.length) throw new UsageError('no unpaused personas to run: seed some first (personas seed)');
    return all;
  }
  return Promise.all(
    named.map(async (ref) => {
      const p = await findPersona(db, ref);
      if (!p) throw new UsageError(`--persona ${ref}: no such persona (see personas schedules list)`);
      return p;
    }),
  );
}

/**
 * Everything `run` can check before it starts anything: the flags, the products file, the catalog
 * and (embedded: the catalog is what gets seeded) that every named persona's email is in it.
 */
async function checkRunInput(ctx: CliContext, opts: RunOptions): Promise<GatewayConfig> {
  if (opts.detach && opts.attach) throw new UsageError('--detach and --attach exclude each other');
  checkOutputFlags(opts);
  const embedded = !ctx.config.temporal.address;
  if (opts.detach && embedded)
    throw new UsageError(
      '--detach needs TEMPORAL_ADDRESS (a Temporal server that outlives this command): without it the embedded stack stops when run ends',
    );
  const gatewayConfig = loadGatewayConfig({
    ...process.env,
    ...(opts.products ? { PERSONA_PRODUCTS: opts.products } : {}),
  });
  if (!embedded || opts.attach) return gatewayConfig;
  const defs = await loadCatalog(opts.catalog, servedModules(gatewayConfig.products), builtinToolLookup);
  const emails = defs.map((d) => d.email);
  for (const ref of opts.persona ?? [])
    if (ref.includes('@') && !emails.includes(ref.toLowerCase()))
      throw new UsageError(
        `--persona ${ref}: no such persona in ${opts.catalog}${didYouMean(ref, emails) || ` (it has ${emails.slice(0, 5).join(', ')}${emails.length > 5 ? ', …' : ''})`}`,
      );
  return gatewayConfig;
}

const progressLine = (p: CampaignProgress) =>
  `${p.label}: ${p.completed + p.failed + p.cancelled}/${p.total} trials done · ${p.running} running${p.failed ? ` · ${p.failed} failed` : ''}${p.cancelled ? ` · ${p.cancelled} cancelled` : ''}`;

/** Follows a campaign to its end, with a progress line on stderr; returns how it ended. */
async function follow(handle: CampaignHandle, quiet: boolean): Promise<{ ok: boolean; failure?: string }> {
  try {
    const r = await withProgress(
      handle.result(),
      async () => progressLine(await handle.query(progressQuery)),
      {
        everyMs: 1000,
        quiet,
      },
    );
    return { ok: r.trials.every((t) => t.status === 'completed') };
  } catch (err) {
    const e = err as Error;
    return { ok: false, failure: e.cause instanceof Error ? e.cause.message : e.message };
  }
}

export function registerRunCommand(program: Command): void {
  const command = withHtmlOptions(program.command('run'))
    .description(
      'run a campaign: K trials per persona as a Temporal workflow, then its report (exit 1 if a trial failed). ' +
        'Without TEMPORAL_ADDRESS the embedded stack runs for the campaign’s duration, as `up --once` does',
    )
    .option('--label <label>', 'what the campaign stands for (compare takes labels or ids)', 'adhoc')
    .option(
      '--trials <k>',
      'trials per persona',
      wholeNumber(CAMPAIGN_LIMITS.trials.min, CAMPAIGN_LIMITS.trials.max),
      CAMPAIGN_LIMITS.trials.default,
    )
    .option(
      '--persona <email...>',
      "only these personas (email or id; default: the catalog's, or with TEMPORAL_ADDRESS every unpaused persona)",
    )
    .option(
      '--concurrency <n>',
      'ticks running at once',
      wholeNumber(CAMPAIGN_LIMITS.concurrency.min, CAMPAIGN_LIMITS.concurrency.max),
      CAMPAIGN_LIMITS.concurrency.default,
    )
    .option(
      '--seed <base>',
      'seed base of the trial seeds: campaigns with the same base are paired',
      'default',
    )
    .option(
      '--catalog <file>',
      'without TEMPORAL_ADDRESS: the catalog seeded before the run',
      DEFAULT_CATALOG,
    )
    .option(
      '--products <file>',
      'without TEMPORAL_ADDRESS: upstream MCP products the embedded gateway federates (default PERSONA_PRODUCTS)',
    )
    .option(
      '--attach <id>',
      'follow a campaign that is already running (or finished) instead of starting one',
    )
    .option('--detach', 'start the campaign and exit (re-attach with --attach); needs TEMPORAL_ADDRESS');
  addOutputOptions(command, 'the report')
    .addHelpText(
      'after',
      `
Examples:
  $ personas run --label base --trials 3                   embedded stack, the repo's catalog
  $ personas run --label cand --catalog my.json --products products.json --junit run.xml
  $ personas run --persona ada@personas.test --json        one persona
  $ TEMPORAL_ADDRESS=temporal:7233 personas run --label nightly --detach   start on a cluster, exit
  $ personas run --attach campaign-nightly-…               follow it (or print its report)`,
    )
    .action(async (opts: RunOptions) => {
      const ctx = openCliContext('run');
      const gatewayConfig = await checkRunInput(ctx, opts);
      const env = await openRunEnv(ctx, opts, gatewayConfig);
      try {
        let handle: CampaignHandle;
        if (opts.attach) {
          handle = env.client.workflow.getHandle(opts.attach);
          await handle.describe().catch((err: unknown) => {
            if (err instanceof WorkflowNotFoundError)
              throw new UsageError(`--attach ${opts.attach}: no such campaign`);
            throw err;
          });
        } else {
          const personas = await choosePersonas(env.db, opts.persona, env.catalogEmails);
          handle = await startCampaign(env.client, {
            label: opts.label,
            personas,
            taskQueue: env.taskQueue,
            trials: opts.trials,
            concurrency: opts.concurrency,
            seedBase: opts.seed,
          });
          process.stderr.write(
            `campaign ${handle.workflowId}: ${personas.length} personas × ${opts.trials} trials\n`,
          );
        }
        if (opts.detach) {
          if (opts.json) return printJson({ campaignId: handle.workflowId });
          process.stdout.write(`${handle.workflowId}\n`);
          return;
        }
        const end = await follow(handle, !!opts.json);
        const data = await loadCampaignData(env.db, handle.workflowId);
        const report = campaignReport(data);
        await writeCampaignHtml(env.db, opts, data, report);
        await writeOutputs(
          opts,
          reportRenderers(report, () => ({
            campaignId: handle.workflowId,
            ok: end.ok,
            failure: end.failure,
            report,
          })),
        );
        if (end.failure) process.stderr.write(`campaign failed: ${end.failure}\n`);
        if (!end.ok) process.exitCode = 1;
      } finally {
        await env.close();
      }
    });
}
