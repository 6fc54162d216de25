// Scenario (b), throughput: the scripted provider (no model latency: CPU-bound) over `personas` lanes,
// each lane one persona ticking `laneTicks` times back to back (a persona never overlaps itself, as
// with its schedule's overlap policy), all lanes at once, after one unmeasured warm-up tick per
// persona. Every persona count × worker count is a phase on worker processes of its own
// (worker-process.ts, started for the phase, so its peak resident memory is its own).
import { loadAverage } from '../bench-report.ts';
import {
  cpuByCommand,
  cpuDelta,
  machineBusyFraction,
  sampleMachine,
} from '../../test/support/process-cpu.ts';
import { waitForQuietMachine } from '../../test/support/quiet-machine.ts';
import { median, percentile } from '../../test/support/stats.ts';
import type { Stack } from '../../test/support/stack.ts';
import type { Rig } from './rig.ts';
import type { Settings } from './settings.ts';
import { startWorkerProcesses, type WorkerProcesses } from './worker-process.ts';

export type ThroughputRun = Awaited<ReturnType<typeof phase>>;

export async function throughput(stack: Stack, rig: Rig, settings: Settings, say: (line: string) => void) {
  const s = settings.recorded;
  const runs: ThroughputRun[] = [];
  for (const personas of s.personaCounts) {
    const lanes = await Promise.all(Array.from({ length: personas }, (_, i) => rig.persona(i, 'lane')));
    for (const workers of s.workerCounts) {
      const procs = await startWorkerProcesses(stack, rig.gatewayUrl, rig.databaseUrl, workers);
      try {
        say(`(b) ${personas} personas, ${workers} worker(s): warm-up tick for each persona…`);
        await Promise.all(lanes.map((p) => rig.runTick(procs.taskQueue, p)));
        runs.push(await phase(stack, rig, s, say, procs, lanes, workers));
      } finally {
        await procs.stop();
      }
    }
  }
  return { runs };
}

async function phase(
  stack: Stack,
  rig: Rig,
  s: Settings['recorded'],
  say: (line: string) => void,
  procs: WorkerProcesses,
  lanes: string[],
  workers: number,
) {
  const q = await waitForQuietMachine({ ...s, say }); // its maxWaitMs, maxOtherCores, loadThreshold
  const loadBefore = loadAverage();
  say(
    `(b) ${lanes.length} lanes × ${s.laneTicks} ticks, ${workers} worker(s) (load ${loadBefore.join(' ')})…`,
  );
  await procs.reset();
  const worker0 = await procs.sample();
  const cpu0 = cpuByCommand();
  const busy0 = sampleMachine();
  const t0 = performance.now();
  const ticks: Array<{ id: string; ms: number; status: string }> = [];
  await Promise.all(
    lanes.map(async (p) => {
      for (let i = 0; i < s.laneTicks; i++) {
        const { handle, result, clientMs } = await rig.runTick(procs.taskQueue, p);
        ticks.push({ id: handle.workflowId, ms: clientMs, status: result.status });
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const busy = machineBusyFraction(busy0, sampleMachine());
  const cpu = cpuDelta(cpu0, cpuByCommand());
  const worker1 = await procs.sample();
  const counts = await stack.database.pool.query<{ actions: number; rounds: number; errors: number }>(
    `SELECT (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1)) AS actions,
            (SELECT coalesce(sum(rounds), 0)::int FROM persona_ticks WHERE id = ANY($1)) AS rounds,
            (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1) AND outcome = 'error') AS errors`,
    [ticks.map((t) => t.id)],
  );
  const c = counts.rows[0]!;
  const completed = ticks.filter((t) => t.status === 'completed').length;
  return {
    personas: lanes.length,
    workers,
    ticksPerLane: s.laneTicks,
    completed,
    ticks: ticks.length,
    elapsedS: +(elapsedMs / 1000).toFixed(2),
    ticksPerMinute: +(completed / (elapsedMs / 60_000)).toFixed(1),
    toolCalls: c.actions,
    toolCallsPerSecond: +(c.actions / (elapsedMs / 1000)).toFixed(1),
    toolErrors: c.errors,
    modelCalls: c.rounds,
    tickMsP50: Math.round(median(ticks.map((t) => t.ms))),
    tickMsP90: Math.round(
      percentile(
        ticks.map((t) => t.ms),
        90,
      ),
    ),
    /** Per worker process: peak resident memory during the phase (sampled every 50 ms), and CPU s. */
    workerRssPeakMiB: worker1.map((w) => w.rssPeakMiB),
    workerCpuS: worker1.map((w, i) => +(w.cpuS - worker0[i]!.cpuS).toFixed(2)),
    machineBusy: +busy.toFixed(2),
    /** CPU of everything the benchmark runs (client, gateway, workers, Postgres, Temporal) per completed tick: less sensitive to other load than the rates. */
    cpuMsPerTick: Math.round((Object.values(cpu).reduce((a, b) => a + b, 0) * 1000) / (completed || 1)),
    /** `node`: this process and the worker processes together. */
    cpuSeconds: cpu,
    load: {
      before: loadBefore,
      after: loadAverage(),
      waitedS: Math.round(q.waitedMs / 1000),
      quiet: q.quiet,
    },
  };
}
