import type { Command } from 'commander';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { cadenceSpec } from '../../lib/schedules/cadence.ts';
import { scheduleIdFor } from '../../lib/schedules/persona-schedule.ts';
import { listPersonaSchedules } from '../../lib/schedules/sync.ts';
import { listSlotSchedules } from '../../lib/schedules/slot-sync.ts';
import { slotOf, slotScheduleId } from '../../lib/schedules/slot-schedule.ts';
import { syncForMode } from '../../lib/schedules/sync-mode.ts';
import { printJson, withContext } from '../context.ts';
import { progressBar } from './seed.ts';

export function registerSchedulesCommand(program: Command): void {
  const schedules = program.command('schedules').description('Temporal Schedules that drive the personas');

  schedules
    .command('sync')
    .description(
      'make Temporal match the database: create, update and delete persona (or, SCHEDULE_MODE=per-slot, slot) schedules (prints the diff)',
    )
    .option('--dry-run', 'print the diff; change nothing')
    .option('--no-first-tick', 'do not fire a first tick right away for newly created schedules')
    .option('--json', 'machine-readable output')
    .action(async (opts: { dryRun?: boolean; firstTick: boolean; json?: boolean }) => {
      await withContext('schedules', async (ctx) => {
        const { db } = await ctx.database({ migrate: false });
        const { client } = await ctx.temporal();
        const personas = await livePersonas(db);
        const bar = progressBar(personas.length, 'syncing');
        const mode = ctx.config.temporal.scheduleMode;
        const { changes, firstTicks } = await syncForMode(mode, client, personas, {
          taskQueue: ctx.config.temporal.taskQueue,
          dryRun: opts.dryRun,
          triggerNew: opts.firstTick,
          onProgress: (d) => bar.update(d),
        });
        bar.stop();
        const counts = Object.fromEntries(
          ['create', 'update', 'delete', 'unchanged'].map((a) => [
            a,
            changes.filter((c) => c.action === a).length,
          ]),
        );
        if (opts.json)
          return printJson({
            dryRun: Boolean(opts.dryRun),
            mode,
            firstTicks,
            counts,
            changes: changes.filter((c) => c.action !== 'unchanged'),
          });
        for (const c of changes.filter((x) => x.action !== 'unchanged').slice(0, 200)) {
          process.stdout.write(
            `${{ create: '+', update: '~', delete: '-' }[c.action as 'create']} ${c.scheduleId} ${c.persona} ${c.detail}\n`,
          );
        }
        process.stdout.write(
          `${mode}: ${opts.dryRun ? 'would ' : ''}create ${counts.create} · update ${counts.update} · delete ${counts.delete} · unchanged ${counts.unchanged}${firstTicks ? ` · ${firstTicks} first ticks started` : ''}\n`,
        );
      });
    });

  schedules
    .command('list')
    .description(
      'list persona schedules with cadence, timezone, next run, paused state and destructive opt-in',
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await withContext('schedules', async (ctx) => {
        const { db } = await ctx.database({ migrate: false });
        const { client } = await ctx.temporal();
        const perSlot = ctx.config.temporal.scheduleMode === 'per-slot';
        const [personas, existing] = await Promise.all([
          livePersonas(db),
          perSlot ? listSlotSchedules(client) : listPersonaSchedules(client),
        ]);
        const byId = new Map(existing.map((s) => [s.scheduleId, s]));
        const rows = await Promise.all(
          personas.map(async (p) => {
            // Per slot, the persona's own pause is the database flag its slot's runs read.
            const found = byId.get(perSlot ? slotScheduleId(slotOf(p)) : scheduleIdFor(p.personaId));
            const s = found && perSlot ? { ...found, paused: found.paused || p.paused } : found;
            const next =
              s && personas.length <= 200
                ? (await client.schedule.getHandle(s.scheduleId).describe()).info.nextActionTimes[0]
                : undefined;
            return {
              persona: p.email,
              scheduleId: s?.scheduleId ?? null,
              cadence: p.cadence,
              timezone: p.timezone,
              cron: cadenceSpec(p).cron,
              paused: s?.paused ?? null,
              nextRun: next?.toISOString() ?? null,
              lastActiveAt: p.lastActiveAt?.toISOString() ?? null,
              destructive: p.destructive,
            };
          }),
        );
        if (opts.json) return printJson(rows);
        for (const r of rows) {
          process.stdout.write(
            `${r.persona.padEnd(34)} ${r.cadence.padEnd(9)} ${r.timezone.padEnd(20)} ${(r.scheduleId ? (r.paused ? 'paused' : 'active') : 'MISSING').padEnd(8)} next ${r.nextRun ?? '-'}${r.destructive ? ' · destructive tools allowed' : ''}\n`,
          );
        }
        const missing = rows.filter((r) => !r.scheduleId).length;
        if (missing)
          process.stderr.write(`${missing} persona(s) have no schedule: run \`personas schedules sync\`\n`);
      });
    });
}
