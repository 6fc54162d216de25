import type { Comparison } from './compare.ts';
import type { Interval } from './intervals.ts';
import type { CampaignReport } from './report.ts';

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '–');
const pts = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '–');
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}` : '–');
export const starsInterval = (iv: Interval) => `${signed(iv.estimate)} [${signed(iv.lo)}, ${signed(iv.hi)}]`;
export const pointsInterval = (iv: Interval) => `${pts(iv.estimate)} [${pts(iv.lo)}, ${pts(iv.hi)}] pts`;

function table(head: string[], rows: string[][], markdown: boolean): string {
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

const icon = (v: string, markdown: boolean) =>
  markdown ? (({ regressed: '🔴 regressed', improved: '🟢 improved' } as Record<string, string>)[v] ?? v) : v;

function headline(r: CampaignReport): string {
  const passK = Object.entries(r.passK.byK)
    .map(([k, v]) => `pass^${k} ${pct(v)}`)
    .join(', ');
  return `${r.campaign.label} (${r.campaign.id}): ${r.ticks} ticks, ${r.campaign.provider}/${r.campaign.model}, code ${r.campaign.codeVersion}; completion ${pct(r.completion.estimate)}; ${passK}; ${Math.round(r.tokensPerTick)} tokens and $${r.costPerTickUsd.toFixed(4)} per tick`;
}

/** `personas report` as text (or Markdown). */
export function formatReport(r: CampaignReport, markdown = false): string {
  const modules = table(
    ['module', 'mean ★', '95 % interval', 'ratings', 'personas'],
    Object.entries(r.modules).map(([m, s]) => [
      m,
      f2(s.estimate),
      `[${f2(s.lo)}, ${f2(s.hi)}]`,
      String(s.n),
      String(s.personas),
    ]),
    markdown,
  );
  const tools = table(
    ['tool', 'calls', 'error rate', '95 % interval', 'persona', 'product', 'policy', 'infra'],
    Object.entries(r.tools).map(([t, s]) => [
      t,
      String(s.calls),
      pct(s.rate.estimate),
      `[${pct(s.rate.lo)}, ${pct(s.rate.hi)}]`,
      ...(['persona', 'product', 'policy', 'infra'] as const).map((c) => String(s.byClass[c].errors)),
    ]),
    markdown,
  );
  return [headline(r), '', modules, '', tools].join('\n');
}

/** `personas compare` as text or as the Markdown table for a pull-request comment. */
export function formatComparison(c: Comparison, markdown = false): string {
  const modules = table(
    ['module', 'baseline ★', 'candidate ★', 'difference [95 %]', 'verdict'],
    c.modules.map((m) => [
      m.module,
      `${f2(m.baseline.mean)} (n=${m.baseline.n})`,
      `${f2(m.candidate.mean)} (n=${m.candidate.n})`,
      `${starsInterval(m.diff)}${m.paired ? ' paired' : ''}`,
      icon(m.verdict, markdown),
    ]),
    markdown,
  );
  const tools = table(
    ['tool', 'baseline errors', 'candidate errors', 'difference [95 %]', 'product-class', 'verdict'],
    c.tools.map((t) => [
      t.tool,
      `${pct(t.baseline.rate)} (${t.baseline.errors}/${t.baseline.calls})`,
      `${pct(t.candidate.rate)} (${t.candidate.errors}/${t.candidate.calls})`,
      pointsInterval(t.diff),
      pointsInterval(t.diffByClass.product),
      icon(t.verdict, markdown),
    ]),
    markdown,
  );
  const verdict = c.regressed.length
    ? `REGRESSED: ${c.regressed.join(', ')}`
    : `no regression${c.improved.length ? `; improved: ${c.improved.join(', ')}` : ''}`;
  const rule = `regressed = the ${(c.verdictLevel * 100).toFixed(2)} % interval (95 % family-wise over ${c.modules.length + c.tools.length} tests) excludes zero on the bad side and the effect is at least ${c.minRatingEffect}★ / ${(c.minErrorRateEffect * 100).toFixed(0)} points; a module rated by fewer than ${c.minPersonas} personas is insufficient`;
  const h = markdown ? '### ' : '';
  return [
    `${h}${verdict}`,
    '',
    `baseline  ${headline(c.baseline)}`,
    `candidate ${headline(c.candidate)}`,
    c.paired
      ? 'trials paired by persona and trial seed'
      : 'trials not paired (different seeds): independent samples',
    '',
    `${h}Modules`,
    '',
    modules,
    '',
    `${h}Tools`,
    '',
    tools,
    '',
    rule,
  ].join('\n');
}
