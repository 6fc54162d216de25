// Command line of bench/scale.ts (options: see its header and bench/README.md).
import { SCHEDULE_MODES, type ScheduleMode } from '../../lib/schedules/sync-mode.ts';
import { benchFlags, intFlag, intListFlag, QUIET_FLAGS, quietSettings } from '../settings.ts';

export function parseSettings(argv = process.argv.slice(2)) {
  const flags = benchFlags(argv, {
    personas: { type: 'string' },
    'seed-concurrency': { type: 'string' },
    'sync-concurrency': { type: 'string' },
    ...QUIET_FLAGS,
    'temporal-file': { type: 'boolean', default: false },
    'schedule-mode': { type: 'string', default: 'per-persona' },
  });
  const mode = flags['schedule-mode'];
  if (!(SCHEDULE_MODES as readonly string[]).includes(mode))
    throw new Error(`--schedule-mode: expected ${SCHEDULE_MODES.join(' or ')}, got "${mode}"`);
  const quick = flags.quick;
  const list = (what: 'seed-concurrency' | 'sync-concurrency', fallback: number[]) =>
    intListFlag(flags[what], fallback, what, 1, 256);
  const recorded = {
    scheduleMode: mode as ScheduleMode,
    personas: intFlag(flags.personas, quick ? 1000 : 10_000, 'personas', 1, 100_000),
    seedConcurrency: list('seed-concurrency', quick ? [16] : [8, 16, 32]),
    syncConcurrency: list('sync-concurrency', quick ? [16] : [16, 32, 64]),
    ...quietSettings(flags),
    taskQueue: 'persona-ticks-bench',
    temporalStore: flags['temporal-file'] ? 'sqlite-file' : 'in-memory',
  };
  return { quick, out: flags.out, temporalFile: flags['temporal-file'], recorded };
}

export type Settings = ReturnType<typeof parseSettings>;
