// GET /compare?baseline=…&candidate=…: the numbers `personas compare` prints, with links to the
// ticks behind each row (the candidate's ticks of that module, or of that tool's failures).
import type { Comparison } from '../lib/verdicts/compare.ts';
import { pointsInterval, starsInterval } from '../lib/verdicts/format.ts';
import { h, pageShell } from './html.ts';

const ticks = (campaign: string, q: Record<string, string>) =>
  `/ticks?${new URLSearchParams({ campaign, ...q }).toString()}`;
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function renderComparePage(c: Comparison): string {
  const a = c.baseline.campaign;
  const b = c.candidate.campaign;
  const verdict = (v: string) => h`<strong class="verdict-${v}">${v}</strong>`;
  const modules = h`<table><thead><tr><th>module</th><th>baseline ★</th><th>candidate ★</th><th>difference [95 %]</th><th>verdict</th></tr></thead><tbody>
${c.modules.map(
  (m) =>
    h`<tr><td>${m.module}</td><td><a href="${ticks(a.id, { module: m.module })}">${f2(m.baseline.mean)}</a> (n=${m.baseline.n})</td><td><a href="${ticks(b.id, { module: m.module })}">${f2(m.candidate.mean)}</a> (n=${m.candidate.n})</td><td>${starsInterval(m.diff)}${m.paired ? ' paired' : ''}</td><td>${verdict(m.verdict)}</td></tr>`,
)}
</tbody></table>`;
  const tools = h`<table><thead><tr><th>tool</th><th>baseline errors</th><th>candidate errors</th><th>difference [95 %]</th><th>product-class</th><th>verdict</th></tr></thead><tbody>
${c.tools.map(
  (t) =>
    h`<tr><td>${t.tool}</td><td><a href="${ticks(a.id, { tool: t.tool })}">${pct(t.baseline.rate)}</a> (${t.baseline.errors}/${t.baseline.calls})</td><td><a href="${ticks(b.id, { tool: t.tool })}">${pct(t.candidate.rate)}</a> (${t.candidate.errors}/${t.candidate.calls})</td><td>${pointsInterval(t.diff)}</td><td><a href="${ticks(b.id, { tool: t.tool, errorClass: 'product' })}">${pointsInterval(t.diffByClass.product)}</a></td><td>${verdict(t.verdict)}</td></tr>`,
)}
</tbody></table>`;
  const headline = c.regressed.length ? `Regressed: ${c.regressed.join(', ')}` : 'No regression';
  const side = (label: string, r: Comparison['baseline']) =>
    h`<li>${label}: <a href="${ticks(r.campaign.id, {})}">${r.campaign.label}</a> — ${r.ticks} ticks, completion ${pct(r.completion.estimate)}, pass^${Object.keys(r.passK.byK).at(-1) ?? '1'} ${pct(Object.values(r.passK.byK).at(-1) ?? 0)}, ${Math.round(r.tokensPerTick)} tokens and $${r.costPerTickUsd.toFixed(4)} per tick, code ${r.campaign.codeVersion}</li>`;
  return pageShell({
    title: `compare ${a.label} → ${b.label}`,
    heading: headline,
    meta: c.paired ? 'paired by persona and trial seed' : 'independent samples (different seeds)',
    nav: h`<a href="/campaigns">campaigns</a>`,
    body: h`<section><ul>${side('baseline', c.baseline)}${side('candidate', c.candidate)}</ul>
<p>Regressed = the ${(c.verdictLevel * 100).toFixed(2)} % interval (95 % family-wise) excludes zero on the bad side and the effect is at least ${c.minRatingEffect}★ / ${(c.minErrorRateEffect * 100).toFixed(0)} points; a module rated by fewer than ${c.minPersonas} personas is insufficient.</p></section>
<section><h2>Modules</h2>${modules}</section><section><h2>Tools</h2>${tools}</section>`,
  });
}
