// A saved results file of bench/tick-efficiency.ts, read for `--against`: the figures of the code it
// measured, whichever version of this benchmark wrote it. Files written while the benchmark still ran
// the tick workflow's old generations beside today's in one run keep those as extra scenarios
// (`warm before`, …) and runs (`variant: 'before'`); what they measured of their own commit's tick is
// `warm`, `cold` and the `after` runs, and that is what is read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_DIR, type GitInfo } from '../bench-report.ts';
import type { ThroughputRun } from './throughput.ts';

/** One scenario of scenario (a), as summary.ts writes it. */
export type EfficiencyScenario = Record<string, unknown>;

export interface SavedRun {
  file: string;
  /** The commit, or the date for files from before the commit was recorded. */
  label: string;
  date?: string;
  git?: GitInfo;
  settings: Record<string, unknown>;
  efficiency?: Record<string, EfficiencyScenario>;
  throughput?: ThroughputRun[];
}

/** Breakdown rows renamed since: the old label → today's (same measure). */
const RENAMED_ROWS: Record<string, string> = {
  '  login (activity, or local activity inside a workflow task)':
    '  login (local activity, inside a workflow task)',
  '  modelCall activities − model latency (since tick-rate-in-last-call: with the rating)':
    '  modelCall activities − model latency (the last one with the rating)',
  '  rate activity − model latency (before tick-rate-in-last-call)':
    '  rate activity − model latency (when the rating did not run in the last model call)',
};

/** How a run is named in tables: its commit (`+dirty` with uncommitted changes), else its date. */
export function runLabel(git: GitInfo | undefined, date: string | undefined): string {
  if (git?.commit) return `${git.commit.slice(0, 9)}${git.dirty ? '+dirty' : ''}`;
  return date?.slice(0, 10) ?? '?';
}

export function readSavedRun(file: string): SavedRun {
  const where = path.resolve(file);
  let data: {
    benchmark?: unknown;
    date?: string;
    git?: GitInfo;
    settings?: Record<string, unknown>;
    efficiency?: Record<string, EfficiencyScenario>;
    throughput?: { runs?: Array<ThroughputRun & { variant?: string }> };
  };
  try {
    data = JSON.parse(readFileSync(where, 'utf8')) as typeof data;
  } catch (err) {
    throw new Error(`--against ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  if (data?.benchmark !== 'tick-efficiency')
    throw new Error(`--against ${file}: not a results file of bench/tick-efficiency.ts`);
  const efficiency = data.efficiency
    ? Object.fromEntries(
        ['warm', 'cold']
          .filter((s) => data.efficiency![s])
          .map((s) => [s, withTodaysRows(data.efficiency![s]!)]),
      )
    : undefined;
  const throughput = data.throughput?.runs?.filter((r) => r.variant === undefined || r.variant === 'after');
  const inProject = path.relative(PROJECT_DIR, where);
  return {
    file: inProject.startsWith('..') ? where : inProject,
    label: runLabel(data.git, data.date),
    date: data.date,
    git: data.git,
    settings: data.settings ?? {},
    efficiency,
    throughput,
  };
}

function withTodaysRows(scenario: EfficiencyScenario): EfficiencyScenario {
  const rows = scenario.breakdownMs as Record<string, unknown> | undefined;
  if (!rows) return scenario;
  return {
    ...scenario,
    breakdownMs: Object.fromEntries(Object.entries(rows).map(([k, v]) => [RENAMED_ROWS[k] ?? k, v])),
  };
}

/** The settings that make figures comparable and differ between the saved run and this one. */
export function differingSettings(saved: SavedRun, today: Record<string, unknown>): string[] {
  return ['delayMs', 'rounds', 'parallel', 'laneTicks']
    .filter((k) => k in saved.settings && JSON.stringify(saved.settings[k]) !== JSON.stringify(today[k]))
    .map((k) => `${k} ${JSON.stringify(saved.settings[k])} there, ${JSON.stringify(today[k])} here`);
}
