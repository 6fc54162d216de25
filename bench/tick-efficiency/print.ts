// The plain-text tables bench/tick-efficiency.ts prints from its results.
import { fmt, table } from '../bench-report.ts';

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

export function printThroughput(thr: Row) {
  const c = thr.cpuSeconds as Record<string, number>;
  return [
    '',
    `(b) throughput — scripted provider, ${thr.lanes} personas × ${thr.ticksPerLane} ticks, all lanes at once`,
    table(
      ['measure', 'value'],
      [
        ['completed ticks', `${thr.completed} / ${thr.ticks}`],
        ['elapsed (s)', fmt(thr.elapsedS as number, 1)],
        ['ticks per minute', fmt(thr.ticksPerMinute as number, 1)],
        ['tool calls', fmt(thr.toolCalls as number)],
        ['tool calls per second', fmt(thr.toolCallsPerSecond as number, 1)],
        ['model calls (main turn)', fmt(thr.modelCalls as number)],
        ['tick time p50 / p90 (ms)', `${fmt(thr.tickMsP50 as number)} / ${fmt(thr.tickMsP90 as number)}`],
        ['machine busy (all cores)', `${fmt((thr.machineBusy as number) * 100)} %`],
        [
          'CPU s: node / postgres / temporal',
          `${fmt(c.node ?? NaN, 1)} / ${fmt(c.postgres ?? NaN, 1)} / ${fmt(c.temporal ?? NaN, 1)}`,
        ],
      ],
    ),
  ].join('\n');
}
