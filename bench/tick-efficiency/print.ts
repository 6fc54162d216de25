// The plain-text tables bench/tick-efficiency.ts prints from its results; with `--against`, each
// figure of the saved run beside today's.
import { fmt, table } from '../bench-report.ts';
import type { EfficiencyScenario, SavedRun } from './saved-run.ts';
import type { ThroughputRun } from './throughput.ts';

/** What today's run is called in the tables, and the saved run it is compared with. */
export interface Comparison {
  today: string;
  saved?: SavedRun;
}

interface Column {
  label: string;
  data: EfficiencyScenario | undefined;
}

type Stat = { median: number; p90: number } | undefined;

export function printEfficiency(
  eff: Record<string, EfficiencyScenario>,
  s: { rounds: number; parallel: number; delayMs: number },
  cmp: Comparison,
) {
  const lines = [
    '',
    `(a) tick efficiency — ${s.rounds} rounds × ${s.parallel} parallel tool calls + end + rating, model ${s.delayMs} ms per call`,
  ];
  const saved = cmp.saved?.efficiency;
  const columns: Column[] = Object.entries(eff).flatMap(([scenario, data]) =>
    saved
      ? [
          { label: `${scenario} ${cmp.saved!.label}`, data: saved[scenario] },
          { label: `${scenario} ${cmp.today}`, data },
        ]
      : [{ label: scenario, data }],
  );
  const first = Object.values(eff)[0]!;
  const of = <T>(c: Column, key: string) => (c.data?.[key] ?? {}) as Record<string, T | undefined>;
  const stat = (v: Stat, digits: number) => [fmt(v?.median ?? NaN, digits), fmt(v?.p90 ?? NaN, digits)];
  const rows = Object.keys(first.breakdownMs as object).map((k) => [
    k,
    ...columns.flatMap((c) => stat(of<Stat>(c, 'breakdownMs')[k], k.startsWith('efficiency') ? 3 : 1)),
  ]);
  rows.unshift([
    'efficiency (wall ÷ critical path)',
    ...columns.flatMap((c) => stat(c.data?.efficiency as Stat, 3)),
  ]);
  lines.push(
    table(['ms per tick', ...columns.flatMap((c) => [`${c.label} p50`, `${c.label} p90`])], rows),
    '',
  );
  const each = <T>(key: string, label: (k: string) => string, cell: (v: T | undefined) => string) =>
    Object.keys(first[key] as object).map((k) => [label(k), ...columns.map((c) => cell(of<T>(c, key)[k]))]);
  const field = (c: Column, key: string) => (c.data?.[key] ?? NaN) as number;
  lines.push(
    table(
      ['per tick', ...columns.map((c) => c.label)],
      [
        [
          'ticks measured (set aside: disturbed)',
          ...columns.map((c) => (c.data ? `${field(c, 'ticks')} (${field(c, 'setAside')})` : '–')),
        ],
        ['other processes, cores (median)', ...columns.map((c) => fmt(field(c, 'otherCoresMedian'), 2))],
        ...each<number>(
          'perTick',
          (k) => k,
          (v) => fmt(v ?? NaN),
        ),
        ...each<{ median: number }>(
          'perStepMs',
          (k) => `${k} (median ms)`,
          (v) => fmt(v?.median ?? NaN, 1),
        ),
        ...each<number>(
          'workflowTaskMs',
          (k) => `workflow task ${k} (SDK mean ms)`,
          (v) => fmt(v ?? NaN, 1),
        ),
        ...each<{ plumbing: number }>(
          'activityPlumbingMs',
          (k) => `${k}: Temporal plumbing per activity (ms)`,
          (v) => fmt(v?.plumbing ?? NaN, 1),
        ),
      ],
    ),
  );
  return lines.join('\n');
}

export function printThroughput(runs: ThroughputRun[], cmp: Comparison) {
  const saved = cmp.saved?.throughput;
  const config = (r: ThroughputRun) => `${r.personas}/${r.workers}`;
  const rows = runs.map((today) => {
    const was = saved?.find((r) => config(r) === config(today));
    const cell = (f: (r: ThroughputRun) => string) =>
      saved ? `${was ? f(was) : '–'} → ${f(today)}` : f(today);
    const cpu = (r: ThroughputRun) =>
      `${fmt(r.cpuSeconds.node ?? NaN, 0)}/${fmt(r.cpuSeconds.postgres ?? NaN, 0)}/${fmt(r.cpuSeconds.temporal ?? NaN, 0)}`;
    return [
      `${today.personas} personas, ${today.workers} worker${today.workers > 1 ? 's' : ''}`,
      cell((r) => fmt(r.ticksPerMinute, 0)),
      ...(saved ? [was ? fmt(today.ticksPerMinute / was.ticksPerMinute, 2) : '–'] : []),
      cell((r) => `${r.completed}/${r.ticks}`),
      cell((r) => `${fmt(r.tickMsP50)}/${fmt(r.tickMsP90)}`),
      cell((r) => r.workerRssPeakMiB.map((m) => fmt(m)).join('+')),
      cell((r) => `${fmt(r.machineBusy * 100)} %`),
      cell((r) => fmt(r.cpuMsPerTick)),
      cell(cpu),
    ];
  });
  return [
    '',
    `(b) throughput — scripted provider, every lane one persona ticking ${runs[0]?.ticksPerLane ?? '?'} times back to back, all lanes at once${saved ? `; ${cmp.saved!.label} → ${cmp.today}` : ''}`,
    table(
      [
        'configuration',
        'ticks per minute',
        ...(saved ? ['today ÷ saved'] : []),
        'completed',
        'tick ms p50/p90',
        'worker RSS peak MiB',
        'machine busy',
        'CPU ms per tick',
        'CPU s node/pg/temporal',
      ],
      rows,
    ),
  ].join('\n');
}
