// `personas report --html FILE` (and `run --html`): one campaign as a self-contained page — completion
// and pass^k, each module's mean rating and each tool's error rate with their 95 % intervals drawn,
// goals, pass per persona, and the lowest ratings in the personas' own words.
import { f2, pct } from '../format.ts';
import { lowestNotes, type RatingNote } from '../rating-notes.ts';
import type { CampaignReport } from '../report.ts';
import { intervalBar } from './interval-bar.ts';
import { dashboardLinks } from './links.ts';
import { h, maybeLink } from '../../html/markup.ts';
import { reportDocument } from './page.ts';
import { campaignFacts, headlineCards, notesList } from './sections.ts';

export interface CampaignHtmlInput {
  report: CampaignReport;
  /** Persona id → name and archetype, for the pass per persona. */
  personas?: Record<string, { name: string; archetype: string }>;
  notes?: readonly RatingNote[];
  /** The dashboard (`personas dashboard`) to link ticks into. */
  dashboardUrl?: string;
}

/** Lowest-rated notes shown per module. */
const NOTES_PER_MODULE = 3;
const ERROR_CLASSES_SHOWN = ['persona', 'product', 'policy', 'infra'] as const;

export function renderCampaignHtml(input: CampaignHtmlInput): string {
  const r = input.report;
  const id = r.campaign.id;
  const links = dashboardLinks(input.dashboardUrl);
  const modules = h`<section><h2>Modules: mean rating</h2><div class="wrap"><table>
<thead><tr><th>module</th><th>mean ★</th><th>95 % interval</th><th>1★ … 5★</th><th>ratings</th><th>personas</th></tr></thead><tbody>
${Object.entries(r.modules).map(
  ([m, s]) =>
    h`<tr><td>${maybeLink(links.ticks(id, { module: m }), m)}</td><td class="num">${f2(s.mean)}</td><td class="num">[${f2(s.lo)}, ${f2(s.hi)}]</td><td>${intervalBar({ domain: [1, 5], interval: s, tone: 'unchanged', label: `${m}: ${f2(s.mean)} [${f2(s.lo)}, ${f2(s.hi)}]` })}</td><td class="num">${s.ratings}</td><td class="num">${s.personas}</td></tr>`,
)}
</tbody></table></div></section>`;
  const goalRows = [
    ...Object.entries(r.goalModules).map(([m, s]) => [`module ${m}`, s] as const),
    ...Object.entries(r.goals).map(([g, s]) => [g, s] as const),
  ];
  const goals = goalRows.length
    ? h`<section><h2>Goals</h2><div class="wrap"><table>
<thead><tr><th>goal</th><th>judged by</th><th>achieved</th><th>95 % interval</th><th>0 … 100 %</th><th>achieved / failed / not attempted / check error</th><th>personas</th></tr></thead><tbody>
${goalRows.map(
  ([name, s]) =>
    h`<tr><td>${name}</td><td>${s.source}</td><td class="num">${pct(s.success.mean)}</td><td class="num">[${pct(s.success.lo)}, ${pct(s.success.hi)}]</td><td>${intervalBar({ domain: [0, 1], interval: s.success, tone: 'unchanged', label: `${name}: ${pct(s.success.mean)}` })}</td><td class="num">${s.outcomes.achieved} / ${s.outcomes.failed} / ${s.outcomes['not-attempted']} / ${s.outcomes['check-error']}</td><td class="num">${s.personas}</td></tr>`,
)}
</tbody></table></div></section>`
    : h``;
  const tools = h`<section><h2>Tools: error rate</h2><div class="wrap"><table>
<thead><tr><th>tool</th><th>calls</th><th>error rate</th><th>95 % interval</th><th>0 … 100 %</th>${ERROR_CLASSES_SHOWN.map((c) => h`<th>${c}</th>`)}</tr></thead><tbody>
${Object.entries(r.tools).map(
  ([t, s]) =>
    h`<tr><td>${maybeLink(links.ticks(id, { tool: t }), t)}</td><td class="num">${s.calls}</td><td class="num">${pct(s.rate.mean)}</td><td class="num">[${pct(s.rate.lo)}, ${pct(s.rate.hi)}]</td><td>${intervalBar({ domain: [0, 1], interval: s.rate, tone: s.errors ? 'regressed' : 'unchanged', label: `${t}: ${pct(s.rate.mean)} errors` })}</td>${ERROR_CLASSES_SHOWN.map(
      (c) =>
        h`<td class="num">${s.errorsByClass[c] ? maybeLink(links.ticks(id, { tool: t, errorClass: c }), String(s.errorsByClass[c])) : '0'}</td>`,
    )}</tr>`,
)}
</tbody></table></div><p class="legend">Error rate counts every class; <code>personas compare</code> judges product and infra errors (persona and policy errors are the persona's or the policy's doing).</p></section>`;
  const who = (pid: string) => input.personas?.[pid];
  const perPersona = h`<section><h2>pass^k per persona <span class="muted">(no module below ${r.passK.threshold}★, no product or infra error)</span></h2><div class="wrap"><table>
<thead><tr><th>persona</th><th>trials</th><th>passed</th><th>every trial passed</th></tr></thead><tbody>
${r.passK.perPersona.map(
  (p) =>
    h`<tr><td>${maybeLink(links.ticks(id, { persona: p.personaId }), who(p.personaId)?.name ?? p.personaId)}${who(p.personaId)?.archetype ? h` <span class="muted">(${who(p.personaId)!.archetype})</span>` : h``}</td><td class="num">${p.trials}</td><td class="num">${p.passed}</td><td>${p.passAll ? 'yes' : h`<strong>no</strong>`}</td></tr>`,
)}
</tbody></table></div></section>`;
  const notes = input.notes
    ? h`<section><h2>What personas said <span class="muted">(the ${NOTES_PER_MODULE} lowest ratings of each module)</span></h2>${notesList(lowestNotes(input.notes, NOTES_PER_MODULE), links)}</section>`
    : h``;
  return reportDocument({
    title: `personas report ${r.campaign.label}`,
    heading: `Campaign ${r.campaign.label}`,
    sub: campaignFacts(r, links),
    body: h`${headlineCards(r)}
${modules}
${goals}
${tools}
${perPersona}
${notes}
<p class="legend">Means and rates weigh each persona equally; intervals are 95 % t intervals over the personas (for a share every persona has alike, Wilson's with one observation per persona). Bars: the line is the 95 % interval, the dot the mean.</p>`,
  });
}
