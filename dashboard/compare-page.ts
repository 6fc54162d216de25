// GET /compare?baseline=…&candidate=…: the numbers `personas compare` prints, with links to the
// ticks behind each row (the candidate's ticks of that module, or of that tool's failures).
import type { Comparison, ToolRow } from '../lib/verdicts/compare.ts';
import { ruleText, verdictLine } from '../lib/verdicts/format-comparison.ts';
import {
  detectableText,
  hurtText,
  differenceText,
  valueText,
  verdictIntervalText,
} from '../lib/verdicts/format.ts';
import { personasText } from '../lib/verdicts/sign-flip.ts';
import type { VerdictRow } from '../lib/verdicts/verdict-row.ts';
import { h, pageShell, type Html } from './html.ts';

const ticks = (campaign: string, q: Record<string, string>) =>
  `/ticks?${new URLSearchParams({ campaign, ...q }).toString()}`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const verdict = (v: string) => h`<strong class="verdict-${v}">${v}</strong>`;
const HEAD = h`<th>difference [95 %]</th><th>verdict interval</th><th>detectable</th><th>verdict</th><th>why</th>`;

const side = (s: VerdictRow['baseline'], r: VerdictRow, href: string) =>
  s.personas
    ? h`<a href="${href}">${valueText(s.mean, r.unit)}</a> (${personasText(s.personas)}, ${s.trials} trials)`
    : h`none`;
const judged = (r: VerdictRow) =>
  h`<td>${differenceText(r)}</td><td>${verdictIntervalText(r)}</td><td>${detectableText(r)}</td><td>${verdict(r.verdict)}</td><td>${r.reason}</td>`;

function rowsTable(
  title: string,
  rows: VerdictRow[],
  link: (r: VerdictRow, campaign: string) => string,
  c: Comparison,
): Html {
  const a = c.baseline.campaign.id;
  const b = c.candidate.campaign.id;
  return h`<section><h2>${title}</h2><table><thead><tr><th>${title === 'Modules' ? 'module' : 'row'}</th><th>baseline</th><th>candidate</th>${HEAD}</tr></thead><tbody>
${rows.map((r) => h`<tr><td>${r.name}</td><td>${side(r.baseline, r, link(r, a))}</td><td>${side(r.candidate, r, link(r, b))}</td>${judged(r)}</tr>`)}
</tbody></table></section>`;
}

function toolsTable(c: Comparison): Html {
  const a = c.baseline.campaign.id;
  const b = c.candidate.campaign.id;
  const others = (t: ToolRow) =>
    `${t.counts.baseline.errorsByClass.persona} → ${t.counts.candidate.errorsByClass.persona} / ${t.counts.baseline.errorsByClass.policy} → ${t.counts.candidate.errorsByClass.policy}`;
  return h`<section><h2>Tools</h2><table><thead><tr><th>tool</th><th>baseline errors</th><th>candidate errors</th>${HEAD}<th>persona / policy errors</th></tr></thead><tbody>
${c.tools.map(
  (t) =>
    h`<tr><td>${t.name}</td><td>${side(t.baseline, t, ticks(a, { tool: t.name }))}, ${t.counts.baseline.calls} calls</td><td>${side(t.candidate, t, ticks(b, { tool: t.name }))}, <a href="${ticks(b, { tool: t.name, errorClass: 'product' })}">${t.counts.candidate.calls} calls</a></td>${judged(t)}<td>${others(t)}</td></tr>`,
)}
</tbody></table></section>`;
}

export function renderComparePage(c: Comparison): string {
  const a = c.baseline.campaign;
  const b = c.candidate.campaign;
  const hurt = c.hurt.length
    ? h`<ul>${c.hurt.map((p) => h`<li><a href="${ticks(b.id, { module: p.module })}">${hurtText(p)}</a></li>`)}</ul>`
    : h`<p>Nobody: no persona dropped by ${c.minEffects.rating}★ or more in every trial of a module.</p>`;
  const sideInfo = (label: string, r: Comparison['baseline']) =>
    h`<li>${label}: <a href="${ticks(r.campaign.id, {})}">${r.campaign.label}</a> — ${r.ticks} ticks, completed and rated ${pct(r.completion.mean)}, pass^${Object.keys(r.passK.byK).at(-1) ?? '1'} ${pct(Object.values(r.passK.byK).at(-1) ?? 0)}, ${Math.round(r.tokensPerTick)} tokens and $${r.costPerTickUsd.toFixed(4)} per tick, code ${r.campaign.codeVersion}</li>`;
  return pageShell({
    title: `compare ${a.label} → ${b.label}`,
    heading: c.regressed.length ? `Regressed: ${c.regressed.join(', ')}` : verdictLine(c).replace(/^n/, 'N'),
    meta: c.paired ? 'paired by persona and trial seed' : 'independent samples (different seeds)',
    nav: h`<a href="/campaigns">campaigns</a>`,
    body: h`<section><ul>${sideInfo('baseline', c.baseline)}${sideInfo('candidate', c.candidate)}</ul><p>${ruleText(c)}</p></section>
${rowsTable('Completion and pass^1', c.health, (_r, id) => ticks(id, {}), c)}
${c.goals.length ? rowsTable('Goals (checked in the product)', c.goals, (_r, id) => ticks(id, {}), c) : h``}
${rowsTable('Modules', c.modules, (r, id) => ticks(id, { module: r.name }), c)}
${toolsTable(c)}
<section><h2>Who got hurt</h2>${hurt}</section>`,
  });
}
