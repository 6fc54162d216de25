import { builtinToolLookup } from '../../mcp-gateway/tools/index.ts';
import type { Command } from 'commander';
import { ScheduleNotFoundError } from '@temporalio/client';
import { and, eq, isNull } from 'drizzle-orm';
import { personas, users } from '../../schema/index.ts';
import { mapLimit } from '../../lib/concurrency.ts';
import { DEFAULT_CATALOG, loadCatalog } from '../../lib/personas/catalog.ts';
import { deletePersonaUsers } from '../../lib/personas/delete-persona.ts';
import { drift, livePersonas } from '../../lib/personas/live-personas.ts';
import { productsFor, servedModules } from '../../lib/products/products-config.ts';
import { purgeUserWorkdirs } from '../../lib/products/workdir-purge.ts';
import { scheduleIdFor } from '../../lib/schedules/persona-schedule.ts';
import { printJson, withContext } from '../context.ts';

export function registerCleanupCommand(program: Command): void {
  program
    .command('cleanup')
    .description(
      "hard-delete every live persona (users of kind persona, their data, schedules and products' per-user working directories); warns when the live set drifted from the catalog",
    )
    .option('--catalog <file>', 'catalog to compare the live set with', DEFAULT_CATALOG)
    .option(
      '--products <file>',
      'products file whose modules the catalog may name (default PERSONA_PRODUCTS)',
    )
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--keep-schedules', 'do not delete the personas’ Temporal schedules')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        catalog: string;
        products?: string;
        dryRun?: boolean;
        keepSchedules?: boolean;
        json?: boolean;
      }) => {
        const catalog = await loadCatalog(
          opts.catalog,
          servedModules(productsFor(opts.products)),
          builtinToolLookup,
        );
        await withContext('cleanup', async (ctx) => {
          const { db } = await ctx.database();
          const live = await livePersonas(db);
          // Users of kind persona without a persona row (a seed that died between signup and the
          // persona insert) are persona users too: delete them with the rest.
          const orphans = await db
            .select({ id: users.id })
            .from(users)
            .leftJoin(personas, eq(personas.userId, users.id))
            .where(and(eq(users.kind, 'persona'), isNull(personas.id)));
          const d = drift(
            live,
            catalog.map((p) => p.email),
          );
          if (!opts.json && (d.notInCatalog.length || d.notSeeded.length)) {
            process.stderr.write(
              `warning: the live personas drifted from ${opts.catalog}: ${d.notInCatalog.length} live but not in the catalog` +
                `${d.notInCatalog.length ? ` (${d.notInCatalog.slice(0, 5).join(', ')}${d.notInCatalog.length > 5 ? ', …' : ''})` : ''}, ` +
                `${d.notSeeded.length} in the catalog but not live\n`,
            );
          }
          let deleted: string[] = [];
          let schedules = 0;
          let workdirs = 0;
          if (!opts.dryRun) {
            const userIds = [...live.map((p) => p.userId), ...orphans.map((o) => o.id)];
            deleted = await deletePersonaUsers(db, userIds);
            // Their products' files too (`${workdir}`): deletePersonaUsers refused any non-persona.
            workdirs = await purgeUserWorkdirs(ctx.config.dataDir, userIds);
            if (!opts.keepSchedules && live.length) {
              const { client } = await ctx.temporal();
              await mapLimit(live, 16, async (p) => {
                try {
                  await client.schedule.getHandle(scheduleIdFor(p.personaId)).delete();
                  schedules++;
                } catch (err) {
                  if (!(err instanceof ScheduleNotFoundError)) throw err;
                }
              });
            }
          }
          const result = {
            dryRun: Boolean(opts.dryRun),
            live: live.length,
            deleted: opts.dryRun ? 0 : deleted.length,
            schedulesDeleted: schedules,
            workdirsDeleted: workdirs,
            drift: d,
          };
          if (opts.json) return printJson(result);
          process.stdout.write(
            opts.dryRun
              ? `would delete ${live.length + orphans.length} persona(s)\n`
              : `deleted ${deleted.length} persona(s), ${schedules} schedule(s) and ${workdirs} product working director${workdirs === 1 ? 'y' : 'ies'}\n`,
          );
        });
      },
    );
}
