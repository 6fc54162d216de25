// What bench/gateway-latency.ts prints: the medians table and the goal's verdict; with --profile, where
// the gateway child's CPU went.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fmt, PROJECT_DIR, table } from '../bench-report.ts';
import { summariseCpuProfile } from './cpu-profile-summary.ts';
import { GOALS, type Scenario } from './scenarios.ts';
import type { Settings } from './settings.ts';
import type { Evaluation } from './summary.ts';

const HEADER = [
  'scenario',
  'calls/s',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'max ms',
  'thr ×echo',
  'p99 ×echo',
  'thr ×same-SQL',
  'p99 ×same-SQL',
  'server CPU µs/call',
  'pg CPU µs/call',
  'client CPU µs/call',
  'machine busy',
  'other load',
  'errors',
];

export function printSummary(
  settings: Settings,
  machine: { cores: number; cpuModel: string; nodeVersion: string },
  all: Scenario[],
  e: Evaluation,
): string {
  const rows = all.map((s) => {
    const x = e.summaries.get(s.id)!;
    const echo = e.vsBareEcho[s.id];
    const sql = e.vsSameSql[s.id];
    const mark = (ok: boolean) => (ok ? '' : ' ✗');
    return [
      s.label,
      fmt(x.throughput, 0),
      fmt(x.p50, 2),
      fmt(x.p90, 2),
      fmt(x.p99, 2),
      fmt(x.max, 2),
      echo ? fmt(echo.throughput ?? Number.NaN, 2) : '',
      echo ? fmt(echo.p99 ?? Number.NaN, 2) : '',
      sql ? `${fmt(sql.throughput ?? Number.NaN, 2)}${mark(sql.meetsThroughputGoal)}` : '',
      sql ? `${fmt(sql.p99 ?? Number.NaN, 2)}${mark(sql.meetsP99Goal)}` : '',
      fmt(x.serverCpuUsPerCall, 0),
      fmt(x.postgresCpuUsPerCall, 0),
      fmt(x.clientCpuUsPerCall, 0),
      `${fmt(x.machineBusy * 100, 0)}%`,
      `${fmt(x.otherCpu * 100, 0)}%${x.contendedRuns ? ` (${x.contendedRuns} contended)` : ''}`,
      String(x.errors),
    ];
  });
  const { load } = settings;
  return [
    '',
    `median of ${load.rounds} round(s); concurrency ${load.concurrency}; ` +
      `${load.durationMs / 1000}s measured per run; ${machine.cores} × ${machine.cpuModel}; node ${machine.nodeVersion}`,
    table(HEADER, rows),
    '',
    `goal against the same-SQL server: todo_list ≥ ${GOALS.todoList.minThroughputRatio}× throughput and ` +
      `p99 ≤ ${GOALS.todoList.maxP99Ratio}×, todo_create with a key ≥ ${GOALS.todoCreate.minThroughputRatio}× ` +
      `throughput: ${!e.goalEvaluated ? 'not evaluated (--only)' : e.goalMet ? 'MET' : 'NOT MET'}` +
      (e.anyErrors ? ' — WARNING: some calls failed, figures are not valid' : ''),
    ...(e.contended
      ? [
          `WARNING: ${e.contended} run(s) shared the machine with other work (see "other load"); figures are noisier`,
        ]
      : []),
    '',
  ].join('\n');
}

/** The newest profile of the gateway child written since `since`, summarised (empty when none). */
export function printProfile(profileDir: string, since: number): string {
  // One profile per thread; the main thread's is the largest (the other is tsx's loader thread).
  const [file] = readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(profileDir, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!file) return '';
  return (
    `\nCPU profile of the gateway child (main thread): ${path.relative(PROJECT_DIR, file)}\n` +
    'note: V8 samples wall time of the thread, so syscalls that wake another process (pg and HTTP\n' +
    'writes) look larger than their CPU cost on a busy 2-core machine; use the CPU µs/call columns\n' +
    'for budgets and this for the shape.\n' +
    summariseCpuProfile(file)
  );
}
