import { existsSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Runtime } from '@temporalio/worker';
import { UsageError } from '../../lib/errors.ts';
import { dataConverterFor } from '../../workers/payload-codec.ts';
import {
  bundleForReplay,
  installReplayRuntime,
  recentTickRuns,
  replayTicks,
  type ReplayTarget,
} from '../replay/replay-histories.ts';
import { printJson, withContext } from '../context.ts';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `24h`, `7d` → milliseconds. */
export function parseSince(value: string): number {
  const m = /^(\d{1,5})([mhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) throw new InvalidArgumentError('expected a duration such as 30m, 24h or 7d');
  return Number(m[1]) * UNITS[m[2]!]!;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3600)
    throw new InvalidArgumentError('expected seconds from 1 to 3600');
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function parsePersona(value: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError('expected a persona id (uuid)');
  return value;
}

interface ReplayOptions {
  since: number;
  persona?: string;
  timeout: number;
  workflow?: string[];
  workflows?: string;
  limit: number;
  json?: boolean;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recent tick histories from the Temporal server against the current workflow code; ' +
        'exit 1 if any is non-deterministic (run it before deploying new workflow code)',
    )
    .addOption(
      // The default shown as users type it (24h), not as the milliseconds it parses to.
      new Option('--since <duration>', 'ticks started within this window (30m, 24h, 7d)')
        .argParser(parseSince)
        .default(parseSince('24h'), '24h'),
    )
    .option('--persona <uuid>', "only this persona's ticks", parsePersona)
    .option('--workflow <id...>', 'replay these workflow ids instead of recent ticks')
    .option('--workflows <path>', "workflow code to check (default: this project's workflows/index.ts)")
    .option('--limit <n>', 'replay at most this many recent ticks', parseLimit, 500)
    .option('--timeout <seconds>', 'give up on one history after this long', parseSeconds, 60)
    .option('--json', 'machine-readable output')
    .action(async (opts: ReplayOptions) => {
      if (opts.workflows && !existsSync(opts.workflows))
        throw new UsageError(`--workflows: no such file ${opts.workflows}`);
      installReplayRuntime();
      try {
        await replayCommand(opts);
      } finally {
        // The native runtime stops itself once its last worker is gone; when none ran (an error
        // before the first replay), it would keep the process alive.
        await Runtime.instance().shutdown();
      }
    });
}

async function replayCommand(opts: ReplayOptions): Promise<void> {
  await withContext('replay', async (ctx) => {
    const { client } = await ctx.temporal();
    const since = new Date(Date.now() - opts.since);
    const targets: ReplayTarget[] = opts.workflow?.length
      ? opts.workflow.map((workflowId) => ({ workflowId }))
      : await recentTickRuns(client, since, opts.limit, opts.persona);
    const workflowBundle = await bundleForReplay(opts.workflows);
    const outcomes = await replayTicks({
      client,
      targets,
      workflowBundle,
      dataConverter: dataConverterFor(ctx.config),
      timeoutMs: opts.timeout * 1000,
    });
    const failed = outcomes.filter((o) => !o.ok);
    if (opts.json) {
      printJson({ ok: failed.length === 0, replayed: outcomes.length, failed: failed.length, outcomes });
    } else {
      if (!targets.length)
        process.stderr.write(`no tick histories started since ${since.toISOString()}: nothing to check\n`);
      for (const o of failed) {
        const at = o.event
          ? ` at event ${o.event.id} (${o.event.type}${o.event.detail ? ` ${o.event.detail}` : ''})`
          : '';
        process.stdout.write(`✗ ${o.workflowId}: ${o.kind}${at}\n    ${o.message}\n`);
      }
      process.stdout.write(
        `${outcomes.length - failed.length}/${outcomes.length} tick histories replay against ${opts.workflows ?? 'workflows/index.ts'}\n`,
      );
    }
    if (failed.length) process.exitCode = 1;
  });
}
