// `personas compare --html FILE`: the verdicts as a self-contained page — the gate's answer on top,
// each row's difference with its 95 % interval and its verdict interval (drawn against the band of
// changes too small to count), who got hurt in their own words, and links to the ticks behind it all.
import type { Comparison, ToolRow } from '../compare.ts';
import { ruleText, verdictLine } from '../format-comparison.ts';
import { detectableText, differenceText, hurtText, valueText, verdictIntervalText } from '../format.ts';
import type { RatingNote } from '../rating-notes.ts';
import { lowestNotes } from '../rating-notes.ts';
import { personasText } from '../sign-flip.ts';
import type { VerdictRow } from '../verdict-row.ts';
import { intervalBar, symmetricDomain } from './interval-bar.ts';
import { dashboardLinks, type DashboardLinks } from './links.ts';
import { h, maybeLink, type Html } from '../../html/markup.ts';
import { reportDocument } from './page.ts';
import { campaignFacts, headlineCards, notesList } from './sections.ts';

export interface ComparisonHtmlInput {
  comparison: Comparison;
  /** The candidate's rating notes (lowest first): the hurt personas' words and the lowest ratings. */
  notes?: readonly RatingNote[];
  dashboardUrl?: string;
}

const NOTES_PER_MODULE = 3;
/** A hurt persona's lowest ratings of the module, in its words. */
const NOTES_PER_HURT = 2;
const unitOf = (r: VerdictRow) => (r.judgedOn === 'usage' ? 'share' : r.unit);

const side = (s: VerdictRow['baseline'], r: VerdictRow, what: string, href: string | undefined) =>
  s.personas
    ? h`${maybeLink(href, valueText(s.mean, r.unit))} (${personasText(s.personas)}, ${s.trials} ${what})`
    : h`none`;

/** The columns every judged row shares; the bar's axis is common to the table's rows of a unit. */
function judged(r: VerdictRow, domains: Record<string, [number, number]>): Html {
  const band: [number, number] | undefined = r.judgedOn === 'usage' ? undefined : [-r.minEffect, r.minEffect];
  return h`<td class="num">${differenceText(r)}</td><td>${intervalBar({
    domain: domains[unitOf(r)]!,
    interval: r.difference,
    verdict: r.verdictInterval,
    band,
    zero: 0,
    tone: r.verdict,
    label: `${r.name}: ${differenceText(r)}; verdict interval ${verdictIntervalText(r)}`,
  })}</td><td class="num">${verdictIntervalText(r)}</td><td>${detectableText(r)}</td><td><span class="verdict ${r.verdict}">${r.verdict}</span></td><td class="why">${r.reason}</td>`;
}

function domainsOf(rows: readonly VerdictRow[]): Record<string, [number, number]> {
  const of = (unit: string) => {
    const mine = rows.filter((r) => unitOf(r) === unit);
    const bounds = mine.flatMap((r) => [
      r.difference.lo,
      r.difference.hi,
      r.verdictInterval.lo,
      r.verdictInterval.hi,
    ]);
    return symmetricDomain(
      bounds,
      Math.max(0, ...mine.map((r) => (r.judgedOn === 'usage' ? 0 : r.minEffect))),
    );
  };
  return { stars: of('stars'), share: of('share') };
}

const HEAD = h`<th>difference [95 %]</th><th>interval · verdict interval · ± minimum</th><th>verdict interval</th><th>detectable</th><th>verdict</th><th>why</th>`;

function rowsSection(
  title: string,
  head: [string, string, string],
  rows: readonly VerdictRow[],
  what: string,
  link: (r: VerdictRow, campaign: string) => string | undefined,
  c: Comparison,
): Html {
  if (!rows.length) return h``;
  const d = domainsOf(rows);
  const [a, b] = [c.baseline.campaign.id, c.candidate.campaign.id];
  return h`<section><h2>${title}</h2><div class="wrap"><table><thead><tr>${head.map((x) => h`<th>${x}</th>`)}${HEAD}</tr></thead><tbody>
${rows.map((r) => h`<tr class="row-${r.verdict}"><td><strong>${r.name}</strong></td><td class="side">${side(r.baseline, r, what, link(r, a))}</td><td class="side">${side(r.candidate, r, what, link(r, b))}</td>${judged(r, d)}</tr>`)}
</tbody></table></div></section>`;
}

function toolsSection(c: Comparison, links: DashboardLinks): Html {
  if (!c.tools.length) return h``;
  const d = domainsOf(c.tools);
  const [a, b] = [c.baseline.campaign.id, c.candidate.campaign.id];
  const others = (t: ToolRow) =>
    `${t.counts.baseline.errorsByClass.persona} → ${t.counts.candidate.errorsByClass.persona} / ${t.counts.baseline.errorsByClass.policy} → ${t.counts.candidate.errorsByClass.policy}`;
  return h`<section><h2>Tools: error rate (product and infra errors)</h2><div class="wrap"><table><thead><tr><th>tool</th><th>baseline</th><th>candidate</th>${HEAD}<th>persona / policy errors</th></tr></thead><tbody>
${c.tools.map(
  (t) =>
    h`<tr class="row-${t.verdict}"><td><strong>${t.name}</strong></td><td class="side">${side(t.baseline, t, 'trials', links.ticks(a, { tool: t.name }))}, ${t.counts.baseline.calls} calls</td><td class="side">${side(t.candidate, t, 'trials', links.ticks(b, { tool: t.name }))}, ${maybeLink(links.ticks(b, { tool: t.name, errorClass: 'product' }), `${t.counts.candidate.calls} calls`)}</td>${judged(t, d)}<td class="num">${others(t)}</td></tr>`,
)}
</tbody></table></div></section>`;
}

function hurtSection(c: Comparison, notes: readonly RatingNote[], links: DashboardLinks): Html {
  const b = c.candidate.campaign.id;
  if (!c.hurt.length)
    return h`<section><h2>Who got hurt</h2><p>Nobody: no persona dropped by ${c.minEffects.rating}★ or more in every trial of a module.</p></section>`;
  return h`<section><h2>Who got hurt</h2><ul class="hurt">${c.hurt.map((p) => {
    const said = notes
      .filter((n) => n.personaId === p.personaId && n.module === p.module)
      .slice(0, NOTES_PER_HURT);
    return h`<li>${maybeLink(links.ticks(b, { persona: p.personaId, module: p.module }), hurtText(p))}${said.length ? notesList(said, links) : h``}</li>`;
  })}</ul></section>`;
}

export function renderComparisonHtml(input: ComparisonHtmlInput): string {
  const c = input.comparison;
  const links = dashboardLinks(input.dashboardUrl);
  const [a, b] = [c.baseline.campaign, c.candidate.campaign];
  const failed = c.regressed.length > 0;
  const notes = input.notes ?? [];
  return reportDocument({
    title: `personas compare ${a.label} → ${b.label}`,
    heading: `${a.label} → ${b.label}`,
    sub: h`${c.paired ? 'trials paired by persona and trial seed' : 'trials not paired (different seeds): each persona’s means compared'}${links.compare(a.id, b.id) ? h` · ${maybeLink(links.compare(a.id, b.id), 'open in the dashboard')}` : h``}`,
    body: h`<div class="banner ${failed ? 'fail' : 'pass'}">${verdictLine(c)}</div>
<section><h2>Baseline</h2><p>${campaignFacts(c.baseline, links)}</p>${headlineCards(c.baseline)}</section>
<section><h2>Candidate</h2><p>${campaignFacts(c.candidate, links)}</p>${headlineCards(c.candidate)}</section>
${rowsSection('Completion and pass^1', ['row', 'baseline', 'candidate'], c.health, 'trials', (_r, id) => links.ticks(id), c)}
${rowsSection('Goals (checked in the product)', ['goal', 'baseline achieved', 'candidate achieved'], c.goals, 'checks', (_r, id) => links.ticks(id), c)}
${rowsSection('Modules: mean rating', ['module', 'baseline ★', 'candidate ★'], c.modules, 'ratings', (r, id) => links.ticks(id, { module: r.name }), c)}
${toolsSection(c, links)}
${hurtSection(c, notes, links)}
${input.notes ? h`<section><h2>What personas said in the candidate <span class="muted">(the ${NOTES_PER_MODULE} lowest ratings of each module)</span></h2>${notesList(lowestNotes(notes, NOTES_PER_MODULE), links)}</section>` : h``}
<section><h2>How the verdicts are reached</h2><p>${ruleText(c)}</p><p class="legend">Bars: the thin line is the 95 % interval of the difference, the thick one the verdict's interval at its level, the dot the mean difference, the shaded band ± the minimum change that counts, the vertical line zero.</p></section>`,
  });
}
