// `personas compare` as text, or as Markdown for a pull-request comment.
import type { Comparison, ToolRow } from './compare.ts';
import {
  detectableText,
  headline,
  hurtText,
  differenceText,
  table,
  valueText,
  verdictIntervalText,
} from './format.ts';
import { personasText } from './sign-flip.ts';
import type { VerdictRow } from './verdict-row.ts';

const ICONS: Record<string, string> = {
  regressed: '🔴 regressed',
  missing: '🔴 missing',
  improved: '🟢 improved',
  inconclusive: '🟡 inconclusive',
  insufficient: '⚪ insufficient',
};
const icon = (v: string, markdown: boolean) => (markdown ? (ICONS[v] ?? v) : v);

const side = (s: VerdictRow['baseline'], r: VerdictRow, what: string) =>
  s.personas ? `${valueText(s.mean, r.unit)} (${personasText(s.personas)}, ${s.trials} ${what})` : 'none';

/** The columns every row shares, after its own. */
const judged = (r: VerdictRow, markdown: boolean) => [
  differenceText(r),
  verdictIntervalText(r),
  detectableText(r),
  icon(r.verdict, markdown),
  r.reason,
];
const JUDGED_HEAD = ['difference [95 %]', 'verdict interval', 'detectable', 'verdict', 'why'];

function toolErrors(t: ToolRow): string {
  const b = t.counts.baseline.errorsByClass;
  const c = t.counts.candidate.errorsByClass;
  return `${b.persona} → ${c.persona} / ${b.policy} → ${c.policy}`;
}

/** The verdict line: what fails the gate, else that nothing does. */
export function verdictLine(c: Comparison): string {
  return c.regressed.length
    ? `REGRESSED: ${c.regressed.join(', ')}`
    : `no regression${c.improved.length ? `; improved: ${c.improved.join(', ')}` : ''}`;
}

/** How the verdicts are reached, in one paragraph under the tables. */
export function ruleText(c: Comparison): string {
  const alpha = ((1 - c.level) * 100).toFixed(0);
  const family = c.family.rows
    ? `shared by the ${c.family.rows} row${c.family.rows === 1 ? '' : 's'} enough personas differ in to reach it: ${(c.family.tail * 100).toFixed(3)} % each`
    : 'no row had enough personas that differ to reach it';
  return (
    `regressed = an exact sign-flip test over personas (each persona's mean paired difference) finds the candidate worse at its row's level ` +
    `(${alpha} % family-wise, one-sided, ${family}) ` +
    `and the change is at least the minimum (${c.minEffects.rating}★ ratings, ${(c.minEffects.errorRate * 100).toFixed(0)} points error rate, ` +
    `${(c.minEffects.completion * 100).toFixed(0)} points completion and pass^1, ${(c.minEffects.goal * 100).toFixed(0)} points a checked goal's success); missing = rated or called in the baseline by enough personas and never in the candidate; ` +
    `unchanged = the verdict interval lies within ± the minimum; inconclusive = neither, with the smallest effect this run could detect (80 % power); ` +
    `insufficient = too few personas for the level. Tool error rates count product and infra errors; persona and policy errors are shown beside.`
  );
}

/** A table of rows that share every column: name, both sides, and how they were judged. */
const rowsTable = (head: string[], rows: VerdictRow[], what: string, markdown: boolean) =>
  table(
    [...head, ...JUDGED_HEAD],
    rows.map((r) => [r.name, side(r.baseline, r, what), side(r.candidate, r, what), ...judged(r, markdown)]),
    markdown,
  );

export function formatComparison(c: Comparison, markdown = false): string {
  const health = rowsTable(['row', 'baseline', 'candidate'], c.health, 'trials', markdown);
  const goals = rowsTable(['goal', 'baseline achieved', 'candidate achieved'], c.goals, 'checks', markdown);
  const modules = rowsTable(['module', 'baseline ★', 'candidate ★'], c.modules, 'ratings', markdown);
  const tools = table(
    ['tool', 'baseline errors', 'candidate errors', ...JUDGED_HEAD, 'persona / policy errors'],
    c.tools.map((t) => [
      t.name,
      `${side(t.baseline, t, 'trials')}, ${t.counts.baseline.calls} calls`,
      `${side(t.candidate, t, 'trials')}, ${t.counts.candidate.calls} calls`,
      ...judged(t, markdown),
      toolErrors(t),
    ]),
    markdown,
  );
  const hurt = c.hurt.length
    ? c.hurt.map((h) => `${markdown ? '- ' : '  '}${hurtText(h)}`).join('\n')
    : `${markdown ? '' : '  '}nobody: no persona dropped by ${c.minEffects.rating}★ or more in every trial of a module`;
  const h = markdown ? '### ' : '';
  return [
    `${h}${verdictLine(c)}`,
    '',
    `baseline  ${headline(c.baseline)}`,
    `candidate ${headline(c.candidate)}`,
    c.paired
      ? 'trials paired by persona and trial seed'
      : 'trials not paired (different seeds): each persona’s means compared',
    '',
    `${h}Completion and pass^1`,
    '',
    health,
    '',
    ...(c.goals.length ? [`${h}Goals (checked in the product)`, '', goals, ''] : []),
    `${h}Modules`,
    '',
    modules,
    '',
    `${h}Tools`,
    '',
    tools,
    '',
    `${h}Who got hurt`,
    '',
    hurt,
    '',
    ruleText(c),
  ].join('\n');
}
