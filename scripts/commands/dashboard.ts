import { loadDashboardAccess } from '../../dashboard/config.ts';
import { Option, type Command } from 'commander';
import { DEFAULT_DASHBOARD_PORT, startDashboard } from '../../dashboard/server.ts';
import { DEFAULT_DAYS, MAX_DAYS } from '../../dashboard/queries.ts';
import type { TemporalConfig } from '../../lib/temporal/config.ts';
import { withContext } from '../context.ts';

interface DashboardCliOptions {
  port: string;
  host: string;
  days: string;
  refresh: string;
}

/**
 * Where workflow links should point without connecting to Temporal: TEMPORAL_UI_URL when set, else the
 * dev server's UI (the one `personas up` starts) when no TEMPORAL_ADDRESS is configured.
 */
export function dashboardTemporalUiUrl(t: TemporalConfig): string | undefined {
  return t.uiUrl ?? (t.address ? undefined : `http://localhost:${t.uiPort}`);
}

const intOption = (name: string, value: string, min: number, max: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name}: expected an integer ${min}–${max}, got "${value}"`);
  return n;
};

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description(
      'serve the results dashboard in the foreground: ratings per module over time, error hotspots per tool, recent ticks linked into the Temporal Web UI (Ctrl-C to stop)',
    )
    .addOption(
      new Option('--port <port>', 'port to listen on (0: any free port)')
        .env('DASHBOARD_PORT')
        .default(String(DEFAULT_DASHBOARD_PORT)),
    )
    .option(
      '--host <host>',
      'interface to listen on (the dashboard has no login: keep it local)',
      '127.0.0.1',
    )
    .option('--days <days>', `default range in days (1–${MAX_DAYS}; ?days= overrides)`, String(DEFAULT_DAYS))
    .option('--refresh <seconds>', 'reload the page every N seconds (0: never)', '10')
    .action(async (opts: DashboardCliOptions) => {
      const port = intOption('--port', opts.port, 0, 65535);
      const days = intOption('--days', opts.days, 1, MAX_DAYS);
      const refreshSeconds = intOption('--refresh', opts.refresh, 0, 86400);
      await withContext('dashboard', async (ctx) => {
        const kek = ctx.kek();
        const access = loadDashboardAccess(opts.host);
        const { db } = await ctx.database();
        const temporalUiUrl = dashboardTemporalUiUrl(ctx.config.temporal);
        const dashboard = await startDashboard({
          db: db,
          port,
          host: opts.host,
          temporalUiUrl,
          namespace: ctx.config.temporal.namespace,
          days,
          refreshSeconds,
          kek,
          ...access,
        });
        process.stderr.write(
          `dashboard ready: ${dashboard.url}  (JSON ${dashboard.url}/api/summary.json · health ${dashboard.url}/health${temporalUiUrl ? ` · workflow links → ${temporalUiUrl}` : ''}) — Ctrl-C to stop\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        await dashboard.close();
      });
    });
}
