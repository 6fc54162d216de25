// Scenario (a), efficiency: the real AnthropicProvider against the fake Messages API answering every
// call after exactly `delayMs`, one tick at a time; each tick's wall time set against its critical
// path and attributed (tick-timeline.ts, instrumentation.ts). `warm`: the same persona tick after
// tick; `cold`: a new persona every tick (login and MCP session set-up). The tick is the checked-out
// commit's; another commit's figures come from its own run (`--against`).
import { AnthropicProvider } from '../../activities/llm/anthropic-provider.ts';
import { fmt, loadAverage } from '../bench-report.ts';
import { startFakeMessagesApi } from '../../test/support/fake-messages-api.ts';
import { BENCH_USAGE, plannedAnswer } from '../../test/support/fake-steps.ts';
import { clockTicks, cpuByCommand, sampleMachine } from '../../test/support/process-cpu.ts';
import { waitForQuietMachine } from '../../test/support/quiet-machine.ts';
import { sum } from '../../test/support/stats.ts';
import type { Stack } from '../../test/support/stack.ts';
import { insideOf, localSpansOf, type Inside } from './instrumentation.ts';
import type { Rig } from './rig.ts';
import { sdkDelta, type SdkDelta } from './sdk-metrics.ts';
import type { Settings } from './settings.ts';
import { summariseEfficiency } from './summary.ts';
import { tickTimeline, type TickTimeline } from './tick-timeline.ts';

export interface TickMeasure {
  tickId: string;
  scenario: string;
  wallMs: number;
  clientMs: number;
  modelCalls: number;
  modelServedMs: number;
  modelNominalMs: number;
  toolCalls: number;
  toolMaxPerRoundMs: number;
  toolLatencies: number[];
  criticalMs: number;
  efficiency: number;
  timeline: TickTimeline;
  inside: Record<string, Inside>;
  status: string;
  /** CPU cores other processes on the machine used on average during the tick. */
  otherCores: number;
  disturbed: boolean;
  /** CPU the benchmark's processes (client, gateway, worker, Postgres, Temporal) used during the tick. */
  cpuMs: number;
}

/** Unmeasured ticks before the scenarios: a worker's first ticks pay for its V8 context, tool listing, JIT. */
const WARM_UP_TICKS = 4;

export type ScenarioLoad = Record<string, { before: number[]; after: number[]; waited: number }>;

export async function efficiency(
  stack: Stack,
  rig: Rig,
  settings: Settings,
  scrapeSdk: () => Promise<Map<string, number>>,
  say: (line: string) => void,
) {
  const s = settings.recorded;
  const fake = await startFakeMessagesApi({
    delayMs: s.delayMs,
    answer: plannedAnswer(s),
    usage: BENCH_USAGE,
  });
  stack.onStop(() => fake.close());
  const llm = new AnthropicProvider('claude-sonnet-4-6', {
    apiKey: 'sk-ant-bench-not-a-key',
    baseURL: fake.url,
  });
  const measures: TickMeasure[] = [];
  const scenarioLoad: ScenarioLoad = {};
  const sdkByScenario: Record<string, SdkDelta> = {};

  /** One tick, measured; `disturbed` when other processes used more than --max-other-cores meanwhile. */
  const measureTick = async (
    taskQueue: string,
    scenario: string,
    personaId: string,
  ): Promise<TickMeasure> => {
    const served0 = fake.served.length;
    const busy0 = sampleMachine();
    const cpu0 = sum([...cpuByCommand().values()]);
    const { handle, result, clientMs } = await rig.runTick(taskQueue, personaId);
    const ownCpu = sum([...cpuByCommand().values()]) - cpu0;
    const busy1 = sampleMachine();
    const otherCores =
      busy0 && busy1 ? Math.max(0, (busy1.busy - busy0.busy) / clockTicks() - ownCpu) / (clientMs / 1000) : 0;
    const served = fake.served.slice(served0);
    const timeline = tickTimeline(
      (await handle.fetchHistory()).events ?? [],
      localSpansOf(handle.workflowId),
    );
    const actions = await stack.database.pool.query<{ round: number; latency_ms: number }>(
      'SELECT round, latency_ms FROM persona_actions WHERE tick_id = $1',
      [handle.workflowId],
    );
    const perRound = new Map<number, number>();
    for (const a of actions.rows) perRound.set(a.round, Math.max(perRound.get(a.round) ?? 0, a.latency_ms));
    const modelNominalMs = served.length * s.delayMs;
    const toolMaxPerRoundMs = sum([...perRound.values()]);
    const criticalMs = modelNominalMs + toolMaxPerRoundMs;
    return {
      tickId: handle.workflowId,
      scenario,
      wallMs: timeline.wallMs,
      clientMs,
      modelCalls: served.length,
      modelServedMs: sum(served.map((c) => c.respondedAt - c.receivedAt)),
      modelNominalMs,
      toolCalls: actions.rowCount ?? 0,
      toolMaxPerRoundMs,
      toolLatencies: actions.rows.map((r) => r.latency_ms),
      criticalMs,
      efficiency: timeline.wallMs / criticalMs,
      timeline,
      inside: insideOf(handle.workflowId),
      status: result.status,
      otherCores: +otherCores.toFixed(2),
      cpuMs: Math.round(ownCpu * 1000),
      disturbed: otherCores > s.maxOtherCores,
    };
  };

  await rig.withWorker(llm, async (taskQueue) => {
    say('(a) efficiency: warm-up ticks…');
    for (let i = 0; i < WARM_UP_TICKS; i++) await rig.runTick(taskQueue, await rig.persona(0, 'warmup'));
    for (const scenario of ['warm', 'cold'] as const) {
      const q = await waitForQuietMachine({ ...s, say }); // its maxWaitMs, maxOtherCores, loadThreshold
      const before = loadAverage();
      say(`(a) ${scenario}: ${s.ticks} ticks (load ${before.join(' ')})…`);
      if (scenario === 'warm') await rig.runTick(taskQueue, await rig.persona(0, 'warm')); // its own warm-up
      const sdk0 = await scrapeSdk();
      // The machine is shared: a disturbed tick is measured but set aside, and another one run in its
      // place (bounded).
      let clean = 0;
      for (let i = 0; clean < s.ticks && i < s.ticks * 5; i++) {
        const personaId = scenario === 'warm' ? await rig.persona(0, 'warm') : await rig.persona(i, 'cold');
        const m = await measureTick(taskQueue, scenario, personaId);
        if (!m.disturbed) clean++;
        measures.push(m);
        if (settings.verbose)
          say(
            `  · ${scenario} ${i + 1}${m.disturbed ? ` (disturbed: others used ${fmt(m.otherCores, 2)} cores)` : ''}: wall ${fmt(m.wallMs)} ms, critical ${fmt(m.criticalMs)} ms, efficiency ${fmt(m.efficiency, 3)}, ${m.toolCalls} tool calls, ${m.modelCalls} model calls, ${m.timeline.workflowTasks.length} workflow tasks, ${m.status}`,
          );
      }
      scenarioLoad[scenario] = { before, after: loadAverage(), waited: q.waitedMs };
      sdkByScenario[scenario] = sdkDelta(sdk0, await scrapeSdk());
    }
  });
  await fake.close();
  if (settings.verbose) say(JSON.stringify(sdkByScenario, null, 1));
  return {
    efficiency: summariseEfficiency(measures, scenarioLoad, sdkByScenario, s.delayMs),
    sdkMetrics: sdkByScenario,
  };
}
