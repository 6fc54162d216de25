// Scenario (b), throughput: the scripted provider (no model latency: CPU-bound) over `personas` lanes,
// each lane one persona ticking `laneTicks` times back to back (a persona never overlaps itself, as
// with its schedule's overlap policy), all lanes at once, after one unmeasured warm-up tick per persona.
import { ScriptedProvider } from '../../activities/llm/scripted-provider.ts';
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

export async function throughput(stack: Stack, rig: Rig, settings: Settings, say: (line: string) => void) {
  const s = settings.recorded;
  const lanes = await Promise.all(Array.from({ length: s.personas }, (_, i) => rig.persona(i, 'lane')));
  return rig.withWorker(new ScriptedProvider({ seed: 'bench' }), async (taskQueue) => {
    say(`(b) throughput: warm-up tick for each of ${lanes.length} personas…`);
    await Promise.all(lanes.map((p) => rig.runTick(taskQueue, p)));
    const q = await waitForQuietMachine({ ...s, say }); // its maxWaitMs, maxOtherCores, loadThreshold
    const loadBefore = loadAverage();
    say(`(b) throughput: ${lanes.length} lanes × ${s.laneTicks} ticks (load ${loadBefore.join(' ')})…`);
    const cpu0 = cpuByCommand();
    const busy0 = sampleMachine();
    const t0 = performance.now();
    const ticks: Array<{ id: string; ms: number; status: string }> = [];
    await Promise.all(
      lanes.map(async (p) => {
        for (let i = 0; i < s.laneTicks; i++) {
          const { handle, result, clientMs } = await rig.runTick(taskQueue, p);
          ticks.push({ id: handle.workflowId, ms: clientMs, status: result.status });
        }
      }),
    );
    const elapsedMs = performance.now() - t0;
    const busy = machineBusyFraction(busy0, sampleMachine());
    const cpu = cpuDelta(cpu0, cpuByCommand());
    const counts = await stack.database.pool.query<{ actions: number; rounds: number; errors: number }>(
      `SELECT (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1)) AS actions,
              (SELECT coalesce(sum(rounds), 0)::int FROM persona_ticks WHERE id = ANY($1)) AS rounds,
              (SELECT count(*)::int FROM persona_actions WHERE tick_id = ANY($1) AND outcome = 'error') AS errors`,
      [ticks.map((t) => t.id)],
    );
    const c = counts.rows[0]!;
    const completed = ticks.filter((t) => t.status === 'completed').length;
    return {
      lanes: lanes.length,
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
      machineBusy: +busy.toFixed(2),
      cpuSeconds: cpu,
      load: {
        before: loadBefore,
        after: loadAverage(),
        waitedS: Math.round(q.waitedMs / 1000),
        quiet: q.quiet,
      },
    };
  });
}
