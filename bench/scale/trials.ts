// The timed scenarios of bench/scale.ts: seeding and schedule sync, one trial per concurrency (the
// best counts), then, on the best seed's database and the last sync's server, the second runs.
import type { Client } from '@temporalio/client';
import type { PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import type { LivePersona } from '../../lib/personas/live-personas.ts';
import { TEST_SEED_SECRET } from '../../test/support/secrets.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { listPersonaSchedules } from '../../lib/schedules/sync.ts';
import { desiredSlots, listSlotSchedules } from '../../lib/schedules/slot-sync.ts';
import { syncForMode, type ScheduleMode } from '../../lib/schedules/sync-mode.ts';
import { fmt } from '../bench-report.ts';
import type { ScratchDatabase } from '../../test/support/database.ts';
import type { Stack } from '../../test/support/stack.ts';
import { dbStats, seedDetail, syncCounts, syncDetail, type PhaseTimer } from './phases.ts';

export interface Best {
  concurrency: number;
  seconds: number;
}

/** Seeds `defs` into an empty database once per concurrency; keeps the fastest trial's database. */
export async function seedTrials(
  stack: Stack,
  timer: PhaseTimer,
  defs: PersonaDefinition[],
  kek: Buffer,
  concurrencies: number[],
) {
  const trials: Array<{ concurrency: number; seconds: number; perSecond: number; commits: number }> = [];
  let best: (Best & { db: ScratchDatabase }) | undefined;
  for (const concurrency of concurrencies) {
    const db = await stack.freshDatabase(Math.max(concurrency, 8) + 2);
    const before = await dbStats(db);
    const { result, seconds } = await timer.timed(
      `seed (concurrency ${concurrency})`,
      () => seedPersonas(db.db, kek, TEST_SEED_SECRET, defs, { concurrency }),
      seedDetail,
    );
    const after = await dbStats(db);
    if (result.created !== defs.length) throw new Error(`seed created ${result.created} of ${defs.length}`);
    trials.push({
      concurrency,
      seconds: +seconds.toFixed(2),
      perSecond: Math.round(defs.length / seconds),
      commits: after.commits - before.commits,
    });
    if (!best || seconds < best.seconds) {
      await best?.db.drop();
      best = { concurrency, seconds, db };
    } else {
      await db.drop();
    }
  }
  return { trials, best: best! };
}

/**
 * Syncs schedules once per concurrency, each on a fresh in-memory dev server (the stack's own stays
 * empty). Every trial's server is stopped before the next trial starts — 10,000 schedules keep a
 * server busy in the background (visibility, the schedules' own timers), which would slow the next
 * trial down — except the last one's, where the listing wait and the re-sync then run (re-sync has
 * nothing to create, so which concurrency built that server does not matter).
 */
export async function syncTrials(
  stack: Stack,
  timer: PhaseTimer,
  personas: LivePersona[],
  opts: { taskQueue: string; concurrencies: number[]; mode: ScheduleMode },
) {
  const expected = schedulesFor(opts.mode, personas);
  const trials: Array<{ concurrency: number; seconds: number; perSecond: number; schedules: number }> = [];
  let best: Best | undefined;
  let lastClient: Client = stack.client;
  // With TEMPORAL_ADDRESS one trial only, on that cluster.
  const concurrencies =
    stack.temporalSource === 'TEMPORAL_ADDRESS' ? opts.concurrencies.slice(0, 1) : opts.concurrencies;
  for (const [i, concurrency] of concurrencies.entries()) {
    const fresh = await stack.freshTemporal();
    const client = fresh?.client ?? stack.client;
    const { result, seconds } = await timer.timed(
      `sync (concurrency ${concurrency})`,
      async () =>
        (
          await syncForMode(opts.mode, client, personas, {
            taskQueue: opts.taskQueue,
            triggerNew: false,
            concurrency,
          })
        ).changes,
      syncDetail,
    );
    if (syncCounts(result).create !== expected)
      throw new Error(`sync created ${syncCounts(result).create} of ${expected} schedules`);
    trials.push({
      concurrency,
      seconds: +seconds.toFixed(2),
      perSecond: Math.round(personas.length / seconds),
      schedules: expected,
    });
    if (!best || seconds < best.seconds) best = { concurrency, seconds };
    if (i < concurrencies.length - 1) await fresh?.stop();
    else lastClient = client;
  }
  return { trials, best: best!, lastClient };
}

/**
 * The second runs, which must find nothing to do: after waiting until every schedule is listed
 * (visibility is eventually consistent; bounded, and the wait is reported), reseed and resync.
 */
export async function secondRuns(
  timer: PhaseTimer,
  db: ScratchDatabase,
  client: Client,
  kek: Buffer,
  run: {
    defs: PersonaDefinition[];
    personas: LivePersona[];
    seed: Best;
    sync: Best;
    taskQueue: string;
    mode: ScheduleMode;
  },
) {
  const expected = schedulesFor(run.mode, run.personas);
  const list = run.mode === 'per-slot' ? listSlotSchedules : listPersonaSchedules;
  const listed = await timer.timed(
    'wait until listed',
    async () => {
      // Listing 100,000 schedules takes the dev server tens of seconds per pass.
      const deadline = Date.now() + Math.max(120_000, expected * 10);
      for (;;) {
        const n = (await list(client)).length;
        if (n >= expected || Date.now() > deadline) return n;
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
    (n) => `${fmt(n)} schedules listed`,
  );
  const reseed = await timer.timed(
    `reseed (concurrency ${run.seed.concurrency})`,
    () => seedPersonas(db.db, kek, TEST_SEED_SECRET, run.defs, { concurrency: run.seed.concurrency }),
    seedDetail,
  );
  const resync = await timer.timed(
    `resync (concurrency ${run.sync.concurrency})`,
    async () =>
      (
        await syncForMode(run.mode, client, run.personas, {
          taskQueue: run.taskQueue,
          triggerNew: false,
          concurrency: run.sync.concurrency,
        })
      ).changes,
    syncDetail,
  );
  return {
    allListed: listed.result === expected,
    reseedAllUnchanged: reseed.result.unchanged === run.defs.length,
    resyncAllUnchanged: syncCounts(resync.result).unchanged === expected && resync.result.length === expected,
  };
}

/** Every persona has exactly one user, space, membership and vault. */
export async function oneOfEachRowPerPersona(db: ScratchDatabase, n: number): Promise<boolean> {
  const { rows } = await db.pool.query<
    Record<'users' | 'spaces' | 'memberships' | 'vaults' | 'personas', number>
  >(
    `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM spaces) AS spaces,
            (SELECT count(*)::int FROM space_memberships) AS memberships,
            (SELECT count(*)::int FROM vault_keys) AS vaults, (SELECT count(*)::int FROM personas) AS personas`,
  );
  return Object.values(rows[0]!).every((c) => c === n);
}

/** How many schedules the mode makes for these personas: one each, or one per slot they fall in. */
export const schedulesFor = (mode: ScheduleMode, personas: LivePersona[]) =>
  mode === 'per-slot' ? desiredSlots(personas).size : personas.length;
