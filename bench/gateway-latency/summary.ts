// Figures of bench/gateway-latency.ts: medians over rounds per scenario, the gateway's ratios to the
// baselines (bare echo, same-SQL twin), the goal, and the results file's content.
import { gitInfo } from '../bench-report.ts';
import { median } from '../../test/support/stats.ts';
import type { RunFigures } from './measure.ts';
import { GOALS, type Scenario } from './scenarios.ts';
import type { Settings } from './settings.ts';

export const round1 = (x: number, d = 1) => (Number.isNaN(x) ? null : Number(x.toFixed(d)));

export interface Summary {
  calls: number;
  errors: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  serverCpuUsPerCall: number;
  postgresCpuUsPerCall: number;
  clientCpuUsPerCall: number;
  machineBusy: number;
  otherCpu: number;
  contendedRuns: number;
}

export function summarise(runs: RunFigures[]): Summary {
  const m = (f: (r: RunFigures) => number) => median(runs.map(f));
  return {
    calls: runs.reduce((a, r) => a + r.calls, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    throughput: m((r) => r.throughput),
    p50: m((r) => r.latencyMs.p50),
    p90: m((r) => r.latencyMs.p90),
    p99: m((r) => r.latencyMs.p99),
    max: Math.max(...runs.map((r) => r.latencyMs.max)),
    serverCpuUsPerCall: m((r) => r.serverCpuUsPerCall),
    postgresCpuUsPerCall: m((r) => r.postgresCpuUsPerCall),
    clientCpuUsPerCall: m((r) => r.clientCpuUsPerCall),
    machineBusy: m((r) => r.machineBusy),
    otherCpu: m((r) => r.otherCpu),
    contendedRuns: runs.filter((r) => !r.valid).length,
  };
}

export interface Ratio {
  throughput: number | null;
  p99: number | null;
  perRound: Array<{ throughput: number | null; p99: number | null }>;
}

export interface GoalRatio extends Ratio {
  twin: string;
  minThroughputRatio: number;
  maxP99Ratio: number | null;
  meetsThroughputGoal: boolean;
  meetsP99Goal: boolean;
}

/** `id`'s medians and per-round figures over those of `reference` (same rounds, same machine state). */
function ratioOf(
  id: string,
  reference: string,
  summaries: Map<string, Summary>,
  results: Map<string, RunFigures[]>,
): Ratio {
  const g = summaries.get(id)!;
  const b = summaries.get(reference)!;
  return {
    throughput: round1(g.throughput / b.throughput, 3),
    p99: round1(g.p99 / b.p99, 3),
    perRound: results.get(id)!.map((run, k) => {
      const ref = results.get(reference)![k]!;
      return {
        throughput: round1(run.throughput / ref.throughput, 3),
        p99: round1(run.latencyMs.p99 / ref.latencyMs.p99, 3),
      };
    }),
  };
}

/**
 * Per scenario: the summary; per gateway scenario: its ratios to bare echo (the whole gateway's cost,
 * as earlier runs reported it) and, for the goal scenarios, to their same-SQL twin; and the verdict.
 */
export function evaluate(all: Scenario[], results: Map<string, RunFigures[]>) {
  const summaries = new Map(all.map((s) => [s.id, summarise(results.get(s.id)!)]));
  const gatewayScenarios = all.filter((s) => s.server === 'gateway');
  const vsBareEcho = Object.fromEntries(
    gatewayScenarios.map((s) => [s.id, ratioOf(s.id, 'bare_echo', summaries, results)]),
  ) as Record<string, Ratio>;
  const vsSameSql: Record<string, GoalRatio> = {};
  for (const s of gatewayScenarios) {
    if (!s.goal || !summaries.has(s.goal.twin)) continue;
    const r = ratioOf(s.id, s.goal.twin, summaries, results);
    vsSameSql[s.id] = {
      ...r,
      twin: s.goal.twin,
      minThroughputRatio: s.goal.minThroughputRatio,
      maxP99Ratio: s.goal.maxP99Ratio ?? null,
      meetsThroughputGoal: (r.throughput ?? 0) >= s.goal.minThroughputRatio,
      meetsP99Goal: s.goal.maxP99Ratio === undefined || (r.p99 ?? Infinity) <= s.goal.maxP99Ratio,
    };
  }
  const goalEvaluated = ['gateway_todo_list', 'gateway_todo_create'].every((id) => vsSameSql[id]);
  const goalMet =
    goalEvaluated && Object.values(vsSameSql).every((r) => r.meetsThroughputGoal && r.meetsP99Goal);
  const anyErrors = [...summaries.values()].some((s) => s.errors > 0);
  const contended = [...summaries.values()].reduce((a, s) => a + s.contendedRuns, 0);

  return { summaries, vsBareEcho, vsSameSql, goalEvaluated, goalMet, anyErrors, contended };
}

export type Evaluation = ReturnType<typeof evaluate>;

/** The results file (bench/results/gateway-latency.json): its shape is what earlier runs wrote. */
export function report(
  settings: Settings,
  machine: Record<string, unknown>,
  all: Scenario[],
  results: Map<string, RunFigures[]>,
  e: Evaluation,
) {
  const { flags, load, quiet, maxRetries } = settings;
  const { summaries, vsBareEcho, vsSameSql, goalEvaluated, goalMet, anyErrors, contended } = e;
  return {
    benchmark: 'gateway-latency',
    date: new Date().toISOString(),
    machine,
    git: gitInfo(['mcp-gateway', 'lib', 'schema', 'bench']),
    settings: {
      ...load,
      quick: flags.quick,
      profiled: flags.profile,
      diagnose: flags.diagnose,
      gatewayNodeFlags: flags['gateway-node-flags'] ?? null,
      gateway: {
        POLICY_MODE: 'log-only',
        POLICY_RATE_LIMIT: 1_000_000_000,
        enableJsonResponse: true,
        usersPerRole: load.concurrency,
      },
      bare: { enableJsonResponse: true, tool: 'echo' },
      sameSql: { enableJsonResponse: true, tools: ['todo_list', 'todo_create'], database: "the gateway's" },
      statistic: 'median over rounds of each per-run figure; latency percentiles are nearest-rank',
      quiet: { ...quiet, maxRetries },
    },
    goal: {
      against: 'same-SQL server',
      scenarios: GOALS,
      evaluated: goalEvaluated,
      met: goalMet,
      anyErrors,
      contendedRuns: contended,
    },
    ratios: { vsSameSql, vsBareEcho },
    scenarios: Object.fromEntries(
      all.map((s) => {
        const x = summaries.get(s.id)!;
        return [
          s.id,
          {
            label: s.label,
            median: {
              throughputPerSecond: round1(x.throughput),
              latencyMs: {
                p50: round1(x.p50, 3),
                p90: round1(x.p90, 3),
                p99: round1(x.p99, 3),
                max: round1(x.max, 3),
              },
              serverCpuUsPerCall: round1(x.serverCpuUsPerCall, 0),
              postgresCpuUsPerCall: round1(x.postgresCpuUsPerCall, 0),
              clientCpuUsPerCall: round1(x.clientCpuUsPerCall, 0),
              machineBusy: round1(x.machineBusy, 3),
              otherCpu: round1(x.otherCpu, 3),
            },
            contendedRuns: x.contendedRuns,
            totalCalls: x.calls,
            totalErrors: x.errors,
            rounds: results.get(s.id)!.map((r) => ({
              round: r.round,
              calls: r.calls,
              errors: r.errors,
              ...(r.firstError ? { firstError: r.firstError } : {}),
              elapsedMs: round1(r.elapsedMs, 0),
              throughputPerSecond: round1(r.throughput),
              latencyMs: Object.fromEntries(Object.entries(r.latencyMs).map(([k, v]) => [k, round1(v, 3)])),
              serverCpuUsPerCall: round1(r.serverCpuUsPerCall, 0),
              postgresCpuUsPerCall: round1(r.postgresCpuUsPerCall, 0),
              clientCpuUsPerCall: round1(r.clientCpuUsPerCall, 0),
              machineBusy: round1(r.machineBusy, 3),
              otherCpu: round1(r.otherCpu, 3),
              valid: r.valid,
            })),
          },
        ];
      }),
    ),
  };
}
