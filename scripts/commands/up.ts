import { loadDashboardAccess } from '../../dashboard/config.ts';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createLogger } from '../../lib/logger.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { syncForMode } from '../../lib/schedules/sync-mode.ts';
import { scheduleIdFor } from '../../lib/schedules/persona-schedule.ts';
import { startTick } from '../../lib/ticks/start-tick.ts';
import { formatSummary, summarizeTicks } from '../../lib/ticks/summary.ts';
import { DEFAULT_CATALOG } from '../../lib/personas/catalog.ts';
import { startLiveView } from '../up/live-view.ts';
import { startLocalStack } from '../up/stack.ts';
import { DEFAULT_DASHBOARD_PORT, startDashboard } from '../../dashboard/server.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { printJson } from '../context.ts';

interface UpOptions {
  dashboardPort: string;
  once?: boolean;
  json?: boolean;
  catalog: string;
  products?: string;
  timeout: number;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description(
      'run the whole stack on this machine: Postgres (embedded unless DATABASE_URL), Temporal (dev server unless TEMPORAL_ADDRESS), ' +
        'gateway, worker; seed the catalog, sync schedules, a first tick per persona, and a live view (Ctrl-C stops everything)',
    )
    .option('--once', 'run one tick per persona, print a summary and exit (0 only if every tick completed)')
    .option('--json', 'with --once: the summary as JSON on stdout')
    .option('--catalog <file>', 'persona catalog', DEFAULT_CATALOG)
    .option(
      '--products <file>',
      'products file: upstream MCP servers the gateway federates (default PERSONA_PRODUCTS)',
    )
    .option('--timeout <seconds>', 'with --once: give up waiting after this long', positiveSeconds, 900)
    .addOption(
      new Option('--dashboard-port <port>', 'port of the results dashboard (0 = any free port)')
        .env('DASHBOARD_PORT')
        .default(String(DEFAULT_DASHBOARD_PORT)),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ personas up                           everything on this machine; Ctrl-C stops it
  $ personas up --once                    one tick per persona, a summary, exit (what CI runs)
  $ personas up --once --json | jq .byStatus
  $ personas up --catalog my.json --products products.json   your personas on your product
  $ LOG_FORMAT=json personas up           JSON log lines even on a terminal`,
    )
    .action(async (opts: UpOptions) => {
      const timeoutS = opts.timeout;
      // Checked before anything starts: a bad port must not cost a stack boot.
      const dashboardPort = Number(opts.dashboardPort);
      if (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65535)
        throw new UsageError('--dashboard-port: expected a port number (0 = any free port)');
      const workerConfig = loadWorkerConfig();
      const gatewayConfig = loadGatewayConfig({
        ...process.env,
        ...(opts.products ? { PERSONA_PRODUCTS: opts.products } : {}),
      });
      // Logs on stderr: stdout carries the summary (--once, --json) and nothing else.
      const logger = createLogger('up', workerConfig.logLevel === 'info' ? 'warn' : workerConfig.logLevel, {
        to: 'stderr',
      });
      const say = (m: string) => process.stderr.write(`${m}\n`);
      const stack = await startLocalStack({
        workerConfig,
        gatewayConfig,
        logger,
        catalog: opts.catalog,
        say,
      });
      const { database, temporal, gateway, worker, client, kek } = stack;
      try {
        say(
          [
            '',
            `  Temporal Web UI  ${temporal.uiUrl ?? `(none: ${temporal.address})`}`,
            `  MCP gateway      ${gateway.url}/mcp   health ${gateway.url}/health   metrics ${gateway.url}/metrics`,
            `  worker metrics   ${worker.metricsUrl}   Temporal SDK metrics ${worker.sdkMetricsUrl}`,
            `  LLM              ${worker.deps.llm.kind === 'scripted' ? 'scripted (offline persona simulator: set ANTHROPIC_API_KEY for Claude)' : `${worker.deps.llm.kind} ${worker.deps.llm.model}`}`,
            '',
          ].join('\n'),
        );
        const personas = await livePersonas(database.db);
        const since = new Date();

        if (opts.once) {
          const active = personas.filter((p) => !p.paused);
          if (active.length < personas.length)
            say(`skipping ${personas.length - active.length} paused persona(s)`);
          const handles = await Promise.all(
            active.map((p) => startTick(client, p, workerConfig.temporal.taskQueue, {}, 'once')),
          );
          const ids = handles.map((h) => h.workflowId);
          const view = startLiveView(database.db, { since, tickIds: () => ids });
          const timeout = new Promise<'timeout'>((r) =>
            setTimeout(() => r('timeout'), timeoutS * 1000).unref(),
          );
          const finished = await Promise.race([Promise.allSettled(handles.map((h) => h.result())), timeout]);
          await view.stop();
          const summary = await summarizeTicks(database.db, ids);
          const completed = summary.byStatus.completed ?? 0;
          const ok = finished !== 'timeout' && completed === active.length;
          if (opts.json)
            printJson({
              ok,
              personas: active.length,
              provider: worker.deps.llm.kind,
              model: worker.deps.llm.model,
              ...summary,
            });
          else process.stdout.write(`${formatSummary(summary)}\n`);
          if (finished === 'timeout') say(`timed out after ${timeoutS}s waiting for ticks`);
          if (!ok) process.exitCode = 1;
          return;
        }

        const dashboard = await startDashboard({
          db: database.db,
          port: dashboardPort,
          host: '127.0.0.1',
          ...loadDashboardAccess('127.0.0.1'),
          temporalUiUrl: temporal.uiUrl,
          namespace: temporal.namespace,
          kek,
        });
        stack.defer(() => dashboard.close());
        say(`  dashboard        ${dashboard.url}   (ratings per module, error hotspots, recent ticks)\n`);
        const { taskQueue, scheduleMode } = workerConfig.temporal;
        let created: number;
        if (scheduleMode === 'per-slot') {
          // Slot schedules start ticks at the personas' own times; this run's first tick is started here.
          const { changes } = await syncForMode(scheduleMode, client, personas, {
            taskQueue,
            triggerNew: false,
          });
          created = changes.filter((c) => c.action === 'create').length;
          await Promise.all(
            personas
              .filter((p) => !p.paused)
              .map((p) => startTick(client, p, taskQueue, {}, 'up', { kind: 'schedule' })),
          );
        } else {
          const { changes } = await syncForMode(scheduleMode, client, personas, {
            taskQueue,
            triggerNew: true,
          });
          created = changes.filter((c) => c.action === 'create').length;
          // Personas whose schedule already existed get their first tick of this run by a trigger —
          // not paused ones (a manual trigger bypasses a schedule's pause), and never overlapping.
          const paused = new Set(personas.filter((p) => p.paused).map((p) => scheduleIdFor(p.personaId)));
          await Promise.all(
            changes
              .filter((c) => c.action !== 'create' && c.action !== 'delete' && !paused.has(c.scheduleId))
              .map((c) => client.schedule.getHandle(c.scheduleId).trigger(ScheduleOverlapPolicy.SKIP)),
          );
        }
        say(
          `schedules (${scheduleMode}): ${created} created, ${personas.length} personas ticking — Ctrl-C to stop\n`,
        );
        const view = startLiveView(database.db, { since });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        say('\nstopping: finishing in-flight activities…');
        await view.stop();
      } finally {
        await stack.stop();
      }
    });
}
