import type { Interval } from './intervals.ts';
import type { PersonaHurt } from './persona-hurt.ts';
import type { CampaignReport } from './report.ts';
import type { VerdictRow } from './verdict-row.ts';

export const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
export const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '–');
const bound = (x: number, s: (x: number) => string) => (Number.isFinite(x) ? s(x) : x > 0 ? '∞' : '−∞');
const signedStars = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const signedPoints = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;

/** An interval in a row's unit: `-0.59 [-1.00, -0.18]` (stars) or `+12.1 [+3.0, +20.5] pts` (shares). */
export function intervalText(iv: Interval, unit: VerdictRow['unit'], withEstimate = true): string {
  if (!Number.isFinite(iv.mean)) return '–';
  const s = unit === 'stars' ? signedStars : signedPoints;
  const range = Number.isNaN(iv.lo) ? '[–]' : `[${bound(iv.lo, s)}, ${bound(iv.hi, s)}]`;
  return `${withEstimate ? `${s(iv.mean)} ` : ''}${range}${unit === 'share' ? ' pts' : ''}`;
}

/** A value in a row's unit: `4.79★` or `12.0 %`. */
export const valueText = (x: number, unit: VerdictRow['unit']) => (unit === 'stars' ? `${f2(x)}★` : pct(x));
/** An effect size in a row's unit: `0.30★` or `10.0 pts`. */
export const effectText = (x: number, unit: VerdictRow['unit']) =>
  unit === 'stars' ? `${x.toFixed(2)}★` : `${(x * 100).toFixed(1)} pts`;

/** The unit of a row's difference: its own, or a share of trials when it was judged on usage. */
const differenceUnit = (r: VerdictRow) => (r.judgedOn === 'usage' ? 'share' : r.unit);

/** The difference with its 95 % interval. */
export const differenceText = (r: VerdictRow) => intervalText(r.difference, differenceUnit(r));

/** The verdict's interval with its level: `[-1.20, -0.03] at 99.75 %`. */
export const verdictIntervalText = (r: VerdictRow) =>
  `${intervalText(r.verdictInterval, differenceUnit(r), false)} at ${(r.verdictLevel * 100).toFixed(2)} %`;

/** The smallest effect the row could have seen, and the trials that would see the minimum. */
export function detectableText(r: VerdictRow): string {
  const d = r.detectable;
  if (d.effect === null) return `none (${d.note ?? '–'})`;
  const more =
    d.effect > r.minEffect && d.trialsNeeded !== null
      ? `; ${d.trialsNeeded} trials/persona for ${effectText(r.minEffect, r.unit)}`
      : '';
  return `${effectText(d.effect, r.unit)}${more}`;
}

/** "Sam (solo-dev): todos −3.0★ in 3/3 trials" */
export const hurtText = (h: PersonaHurt) =>
  `${h.name}${h.archetype ? ` (${h.archetype})` : ''}: ${h.module} ${h.change.toFixed(1).replace('-', '−')}★ in ${h.trials}/${h.trials} trials`;

export function table(head: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function headline(r: CampaignReport): string {
  const passK = Object.entries(r.passK.byK)
    .map(([k, v]) => `pass^${k} ${pct(v)}`)
    .join(', ');
  return `${r.campaign.label} (${r.campaign.id}): ${r.ticks} ticks, ${r.campaign.provider}/${r.campaign.model}, code ${r.campaign.codeVersion}; completed and rated ${pct(r.completion.mean)}; ${passK}; ${Math.round(r.tokensPerTick)} tokens and $${r.costPerTickUsd.toFixed(4)} per tick`;
}

/** `personas report` as text (or Markdown). */
export function formatReport(r: CampaignReport, markdown = false): string {
  const modules = table(
    ['module', 'mean ★', '95 % interval', 'ratings', 'personas'],
    Object.entries(r.modules).map(([m, s]) => [
      m,
      f2(s.mean),
      `[${f2(s.lo)}, ${f2(s.hi)}]`,
      String(s.ratings),
      String(s.personas),
    ]),
    markdown,
  );
  const tools = table(
    ['tool', 'calls', 'error rate', '95 % interval', 'persona', 'product', 'policy', 'infra'],
    Object.entries(r.tools).map(([t, s]) => [
      t,
      String(s.calls),
      pct(s.rate.mean),
      `[${pct(s.rate.lo)}, ${pct(s.rate.hi)}]`,
      ...(['persona', 'product', 'policy', 'infra'] as const).map((c) => String(s.errorsByClass[c])),
    ]),
    markdown,
  );
  const goals = table(
    [
      'goals',
      'judged by',
      'achieved',
      '95 % interval',
      'achieved / failed / not attempted / check error',
      'personas',
    ],
    [
      ...Object.entries(r.goalModules).map(([m, s]) => [`module ${m}`, s] as const),
      ...Object.entries(r.goals).map(([g, s]) => [g, s] as const),
    ].map(([name, s]) => [
      name,
      s.source,
      pct(s.success.mean),
      `[${pct(s.success.lo)}, ${pct(s.success.hi)}]`,
      `${s.outcomes.achieved} / ${s.outcomes.failed} / ${s.outcomes['not-attempted']} / ${s.outcomes['check-error']}`,
      String(s.personas),
    ]),
    markdown,
  );
  const note =
    'means and rates weigh each persona equally; intervals are t intervals over the personas (G − 1 degrees of freedom), for a share every persona has alike Wilson’s with one observation per persona';
  return [
    headline(r),
    '',
    modules,
    '',
    ...(Object.keys(r.goals).length ? [goals, ''] : []),
    tools,
    '',
    note,
  ].join('\n');
}
