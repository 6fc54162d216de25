// A timed phase of bench/scale.ts: waits for a quiet machine, runs, records seconds, the load, the
// machine's busy share, other processes' cores and CPU by process; plus the result lines of phases.
import type { Database } from '../../lib/db/client.ts';
import type { SeedSummary } from '../../lib/personas/seed.ts';
import type { SyncChange } from '../../lib/schedules/sync.ts';
import { fmt, loadAverage } from '../bench-report.ts';
import {
  clockTicks,
  cpuByCommand,
  cpuDelta,
  machineBusyFraction,
  sampleMachine,
} from '../../test/support/process-cpu.ts';
import { waitForQuietMachine } from '../../test/support/quiet-machine.ts';
import { sum } from '../../test/support/stats.ts';
import { sampleMemory, type MemoryPeak } from './memory.ts';

export interface Phase {
  phase: string;
  seconds: number;
  detail: string;
  load: number[];
  machineBusy: number;
  otherCores: number;
  cpuSeconds: Record<string, number>;
  memory: MemoryPeak;
  [k: string]: unknown;
}

export function phaseTimer(quiet: { loadThreshold: number; maxWaitMs: number }, say: (line: string) => void) {
  const phases: Phase[] = [];
  async function timed<T>(
    phase: string,
    run: () => Promise<T>,
    detail: (r: T) => string,
  ): Promise<{ result: T; seconds: number }> {
    // Also requires other processes below 0.25 cores over 3 s.
    await waitForQuietMachine({ loadThreshold: quiet.loadThreshold, maxWaitMs: quiet.maxWaitMs, say });
    const load = loadAverage();
    const cpu0 = cpuByCommand();
    const busy0 = sampleMachine();
    const memory = sampleMemory();
    const t0 = performance.now();
    const result = await run();
    const seconds = (performance.now() - t0) / 1000;
    const peak = memory.stop();
    const busy1 = sampleMachine();
    const cpuSeconds = cpuDelta(cpu0, cpuByCommand());
    const own = sum(Object.values(cpuSeconds));
    // Over less than half a second, /proc's 10 ms ticks say nothing useful.
    const otherCores =
      busy0 && busy1 && seconds >= 0.5
        ? Math.max(0, (busy1.busy - busy0.busy) / clockTicks() - own) / seconds
        : Number.NaN;
    const p: Phase = {
      phase,
      seconds: +seconds.toFixed(2),
      detail: detail(result),
      load,
      machineBusy: +machineBusyFraction(busy0, busy1).toFixed(2),
      otherCores: +otherCores.toFixed(2),
      cpuSeconds,
      memory: peak,
    };
    phases.push(p);
    say(
      `  ${phase.padEnd(22)} ${fmt(seconds, 2).padStart(8)} s  ${p.detail}  (load ${load.join(' ')}; other processes ${fmt(otherCores, 2)} cores; heap ≤ ${peak.heapUsedMB} MB, RSS ≤ ${peak.rssMB} MB)`,
    );
    return { result, seconds };
  }
  return { phases, timed };
}

export type PhaseTimer = ReturnType<typeof phaseTimer>;

export const seedDetail = (s: SeedSummary) =>
  `created ${s.created} · updated ${s.updated} · unchanged ${s.unchanged}`;

export function syncCounts(changes: SyncChange[]) {
  const c = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const x of changes) c[x.action]++;
  return c;
}

export const syncDetail = (changes: SyncChange[]) => {
  const c = syncCounts(changes);
  return `create ${c.create} · update ${c.update} · delete ${c.delete} · unchanged ${c.unchanged}`;
};

/** Postgres commits and statements of the database so far (pg_stat_database). */
export async function dbStats(db: Database) {
  const r = await db.pool.query<{ commits: string; rows: string }>(
    `SELECT xact_commit::text AS commits, (tup_inserted + tup_updated + tup_deleted)::text AS rows
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  return { commits: Number(r.rows[0]!.commits), rows: Number(r.rows[0]!.rows) };
}
