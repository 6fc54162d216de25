// The plain-text tables bench/tick-efficiency.ts prints from its results.
import { fmt, table } from '../bench-report.ts';
import type { ThroughputRun } from './throughput.ts';

type Row = Record<string, unknown>;

export function printEfficiency(
  eff: Record<string, Row>,
  s: { rounds: number; parallel: number; delayMs: number },
) {
  const lines = [
    '',
    `(a) tick efficiency — ${s.rounds} rounds × ${s.parallel} parallel tool calls + end + rating, model ${s.delayMs} ms per call`,
  ];
  const scen = Object.keys(eff);
  const first = eff[scen[0]!]!;
  const of = <T>(s: string, key: string) => eff[s]![key] as Record<string, T>;
  const rows = Object.keys(first.breakdownMs as object).map((k) => [
    k,
    ...scen.flatMap((s) => {
      const v = of<{ median: number; p90: number }>(s, 'breakdownMs')[k]!;
      const digits = k.startsWith('efficiency') ? 3 : 1;
      return [fmt(v.median, digits), fmt(v.p90, digits)];
    }),
  ]);
  rows.unshift([
    'efficiency (wall ÷ critical path)',
    ...scen.flatMap((s) => {
      const e = eff[s]!.efficiency as { median: number; p90: number };
      return [fmt(e.median, 3), fmt(e.p90, 3)];
    }),
  ]);
  lines.push(table(['ms per tick', ...scen.flatMap((s) => [`${s} p50`, `${s} p90`])], rows), '');
  const each = <T>(key: string, label: (k: string) => string, cell: (v: T) => string) =>
    Object.keys(first[key] as object).map((k) => [label(k), ...scen.map((s) => cell(of<T>(s, key)[k]!))]);
  lines.push(
    table(
      ['per tick', ...scen],
      [
        [
          'ticks measured (set aside: disturbed)',
          ...scen.map((s) => `${eff[s]!.ticks} (${eff[s]!.setAside})`),
        ],
        ['other processes, cores (median)', ...scen.map((s) => fmt(eff[s]!.otherCoresMedian as number, 2))],
        ...each<number>(
          'perTick',
          (k) => k,
          (v) => fmt(v),
        ),
        ...each<{ median: number }>(
          'perStepMs',
          (k) => `${k} (median ms)`,
          (v) => fmt(v.median, 1),
        ),
        ...each<number>(
          'workflowTaskMs',
          (k) => `workflow task ${k} (SDK mean ms)`,
          (v) => fmt(v, 1),
        ),
        ...each<{ plumbing: number }>(
          'activityPlumbingMs',
          (k) => `${k}: Temporal plumbing per activity (ms)`,
          (v) => fmt(v.plumbing, 1),
        ),
      ],
    ),
  );
  return lines.join('\n');
}

export function printThroughput(thr: { runs: ThroughputRun[] }) {
  const configs = [...new Set(thr.runs.map((r) => `${r.personas}/${r.workers}`))];
  const rows = configs.map((k) => {
    const [b, a] = (['before', 'after'] as const).map((v) =>
      thr.runs.find((r) => `${r.personas}/${r.workers}` === k && r.variant === v),
    );
    const cell = (f: (r: ThroughputRun) => string) => `${b ? f(b) : '–'} → ${a ? f(a) : '–'}`;
    const cpu = (r: ThroughputRun) =>
      `${fmt(r.cpuSeconds.node ?? NaN, 0)}/${fmt(r.cpuSeconds.postgres ?? NaN, 0)}/${fmt(r.cpuSeconds.temporal ?? NaN, 0)}`;
    return [
      `${a?.personas ?? b?.personas} personas, ${a?.workers ?? b?.workers} worker${(a?.workers ?? 1) > 1 ? 's' : ''}`,
      cell((r) => fmt(r.ticksPerMinute, 0)),
      b && a ? fmt(a.ticksPerMinute / b.ticksPerMinute, 2) : '–',
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
    `(b) throughput — scripted provider, every lane one persona ticking ${thr.runs[0]?.ticksPerLane ?? '?'} times back to back, all lanes at once; before → after the patch`,
    table(
      [
        'configuration',
        'ticks per minute',
        'after ÷ before',
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
