// GET /personas/<id>: one persona over time — its ticks, its ratings per module, its recurring errors.
import { h, pageShell, pathSegment, fmtTime, CLASS_COLORS } from './html.ts';
import type { PersonaDetail } from './persona-detail.ts';
import { ratingsChart, ticksTable, type RenderOptions } from './render.ts';

export function renderPersonaPage(p: PersonaDetail, opts: RenderOptions): string {
  const mix = Object.entries(p.moduleMix)
    .sort(([, a], [, b]) => b - a)
    .map(
      ([m, w]) =>
        h`<a href="/ticks?persona=${pathSegment(p.id)}&amp;module=${encodeURIComponent(m)}">${m}</a> ${Math.round(w * 100)} % `,
    );
  const errors = p.errors.length
    ? h`<div class="tablewrap"><table><thead><tr><th>tool</th><th>class</th><th class="num">times</th><th>what the product answered</th><th>last</th></tr></thead><tbody>${p.errors.map(
        (
          e,
        ) => h`<tr><td><a href="/ticks?persona=${pathSegment(p.id)}&amp;tool=${encodeURIComponent(e.tool)}">${e.tool}</a></td>
<td>${e.errorClass ? h`<span class="cls" style="background:${CLASS_COLORS[e.errorClass as keyof typeof CLASS_COLORS] ?? CLASS_COLORS.unclassified}">${e.errorClass}</span>` : '–'}</td>
<td class="num">${e.count}</td><td class="reason">${e.summary}</td>
<td><a href="/ticks/${pathSegment(e.lastTickId)}">${fmtTime(e.lastAt)}</a></td></tr>`,
      )}</tbody></table></div>`
    : h`<p class="empty">No errors in this range.</p>`;
  const body = h`<section><dl class="kv">
<dt>who</dt><dd>${p.displayName} · ${p.archetype} · ${p.email}</dd>
<dt>cadence</dt><dd>${p.cadence} in ${p.timezone}${p.paused ? h` · <span class="err">paused</span>` : ''}</dd>
<dt>destructive tools</dt><dd>${p.destructive ? 'allowed (opted in)' : 'denied (not opted in)'}</dd>
<dt>last active</dt><dd>${p.lastActiveAt ? `${fmtTime(p.lastActiveAt)} UTC` : 'never'}</dd>
<dt>modules</dt><dd>${mix}</dd>
</dl></section>
<section><h2>Ratings per module<small>${p.displayName}’s own, last ${p.range.days} day(s)</small></h2>${ratingsChart(p.ratings, p.range)}</section>
${p.goalsByDay.length ? h`<section><h2>Goals over time<small>checked in the product: achieved of judged, per day (UTC)</small></h2><table><thead><tr><th>day</th><th class="num">achieved</th><th class="num">judged</th><th class="num">success</th></tr></thead><tbody>${p.goalsByDay.map((d) => h`<tr><td>${d.day.slice(0, 10)}</td><td class="num">${d.achieved}</td><td class="num">${d.judged}</td><td class="num">${d.judged ? `${Math.round((100 * d.achieved) / d.judged)} %` : '–'}</td></tr>`)}</tbody></table></section>` : ''}
<section><h2>Recurring errors<small>same tool, class and answer, most frequent first</small></h2>${errors}</section>
<section><h2>Ticks<small>latest ${p.ticks.length}</small></h2>${ticksTable(p.ticks, opts)}</section>`;
  return pageShell({
    title: p.displayName,
    heading: p.displayName,
    meta: `${p.archetype} · persona ${p.id}`,
    body,
  });
}
