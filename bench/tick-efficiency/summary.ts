// Scenario (a)'s ticks summarised per scenario (warm, cold): efficiency, where the overhead went,
// per-tick counts, per-step times, Temporal's plumbing around each activity.
import { median, percentile, sum } from '../../test/support/stats.ts';
import type { ScenarioLoad, TickMeasure } from './efficiency.ts';
import type { Inside } from './instrumentation.ts';
import type { SdkDelta } from './sdk-metrics.ts';

export function summariseEfficiency(
  measures: TickMeasure[],
  load: ScenarioLoad,
  sdk: Record<string, SdkDelta>,
  delayMs: number,
) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const scenario of [...new Set(measures.map((m) => m.scenario))]) {
    const all = measures.filter((m) => m.scenario === scenario);
    if (!all.length) continue;
    const undisturbed = all.filter((m) => !m.disturbed);
    const ms = undisturbed.length ? undisturbed : all;
    const comp = (f: (m: TickMeasure) => number, digits = 1) => {
      const v = ms.map(f);
      return { median: +median(v).toFixed(digits), p90: +percentile(v, 90).toFixed(digits) };
    };
    const att = (m: TickMeasure, k: string) => m.timeline.attribution[k] ?? 0;
    const ins = (m: TickMeasure, type: string, f: keyof Inside) => m.inside[type]?.[f] ?? 0;
    // The rating turn runs in the last modelCall activity; only when it fails there, or a budget ended
    // the tick, is it a `rate` activity of its own.
    const rateActivity = (m: TickMeasure) => att(m, 'exec:rate') > 0;
    const servedFor = (m: TickMeasure, purpose: 'main' | 'rating') =>
      purpose === 'rating'
        ? rateActivity(m) && m.modelCalls
          ? delayMs
          : 0
        : (m.modelCalls - (rateActivity(m) ? 1 : 0)) * delayMs;
    const breakdown = {
      'efficiency with model latency as served': comp(
        (m) => m.wallMs / (m.modelServedMs + m.toolMaxPerRoundMs),
        3,
      ),
      'model latency (fake, nominal)': comp((m) => m.modelNominalMs),
      'model latency (as served: fake timer, incl. its lag)': comp((m) => m.modelServedMs),
      'tool latency (slowest per round)': comp((m) => m.toolMaxPerRoundMs),
      'critical path': comp((m) => m.criticalMs),
      'tick wall time': comp((m) => m.wallMs),
      overhead: comp((m) => m.wallMs - m.criticalMs),
      '  login (local activity, inside a workflow task)': comp((m) => att(m, 'exec:login')),
      '  modelCall activities − model latency (the last one with the rating)': comp(
        (m) => att(m, 'exec:modelCall') - servedFor(m, 'main'),
      ),
      '    of which worker Postgres': comp((m) => ins(m, 'modelCall', 'dbMs')),
      '    of which SDK + HTTP beyond the delay': comp(
        (m) => ins(m, 'modelCall', 'llmMs') - servedFor(m, 'main'),
      ),
      '  tool (local) activities − slowest tool': comp((m) => att(m, 'exec:callTool') - m.toolMaxPerRoundMs),
      '    of which worker Postgres (Σ parallel)': comp((m) => ins(m, 'callTool', 'dbMs')),
      '  rate activity − model latency (when the rating did not run in the last model call)': comp(
        (m) => att(m, 'exec:rate') - servedFor(m, 'rating'),
      ),
      '  persistTick (local activity, inside a workflow task)': comp((m) => att(m, 'exec:persistTick')),
      '  activity dispatch (scheduled → started)': comp((m) => att(m, 'dispatch')),
      '  workflow tasks (scheduled → completed, outside local activities)': comp((m) =>
        att(m, 'workflow-task'),
      ),
      '  gaps between events': comp((m) => att(m, 'gap')),
      'client-observed tick time': comp((m) => m.clientMs),
      'MCP session set-up awaited (in tool latency)': comp((m) => ins(m, 'callTool', 'sessionMs')),
    };
    out[scenario] = {
      ticks: ms.length,
      setAside: all.length - undisturbed.length,
      otherCoresMedian: median(ms.map((m) => m.otherCores)),
      statuses: [...new Set(ms.map((m) => m.status))],
      efficiency: comp((m) => m.efficiency, 3),
      efficiencyValues: ms.map((m) => +m.efficiency.toFixed(3)),
      breakdownMs: breakdown,
      perTick: {
        modelCalls: median(ms.map((m) => m.modelCalls)),
        toolCalls: median(ms.map((m) => m.toolCalls)),
        activities: median(ms.map((m) => m.timeline.activities.filter((a) => !a.local).length)),
        'local activities': median(ms.map((m) => m.timeline.activities.filter((a) => a.local).length)),
        workflowTasks: median(ms.map((m) => m.timeline.workflowTasks.length)),
        'CPU ms (all processes of the benchmark)': median(ms.map((m) => m.cpuMs)),
        historyEvents: median(ms.map((m) => m.timeline.historyEvents)),
        workerDbQueries: median(ms.map((m) => sum(Object.values(m.inside).map((i) => i.dbQueries)))),
      },
      perStepMs: {
        workflowTask: comp((m) => median(m.timeline.workflowTasks.map((w) => w.completedAt - w.scheduledAt))),
        workflowTaskQueue: comp((m) =>
          median(m.timeline.workflowTasks.map((w) => w.startedAt - w.scheduledAt)),
        ),
        activityDispatch: comp((m) =>
          median(m.timeline.activities.filter((a) => !a.local).map((a) => a.startedAt - a.scheduledAt)),
        ),
        toolLatency: comp((m) => median(m.toolLatencies)),
      },
      // Server-side execution (history: started → closed) against the worker's own execution time of
      // the activity function (timed by the rig's activity interceptor, these ticks only): the
      // difference is Temporal's plumbing around each activity (task hand-over in the worker,
      // completion RPC, persistence). Local activities have no such span.
      activityPlumbingMs: Object.fromEntries(
        ['modelCall', 'rate'].map((type) => {
          const spans = ms.flatMap((m) => m.timeline.activities.filter((a) => a.type === type && !a.local));
          const history = spans.length ? sum(spans.map((a) => a.closedAt - a.startedAt)) / spans.length : NaN;
          const execs = sum(ms.map((m) => (spans.length ? (m.inside[type]?.execs ?? 0) : 0)));
          const worker = execs ? +(sum(ms.map((m) => m.inside[type]?.execMs ?? 0)) / execs).toFixed(2) : NaN;
          return [
            type,
            {
              historyExec: +history.toFixed(1),
              workerExec: worker,
              plumbing: +(history - worker).toFixed(1),
            },
          ];
        }),
      ),
      workflowTaskMs: {
        scheduleToStart: sdk[scenario]?.temporal_workflow_task_schedule_to_start_latency?.meanMs,
        workerExecution: sdk[scenario]?.temporal_workflow_task_execution_latency?.meanMs,
        respondRpc: sdk[scenario]?.['temporal_request_latency{RespondWorkflowTaskCompleted}']?.meanMs,
      },
      load: load[scenario],
    };
  }
  return out;
}
