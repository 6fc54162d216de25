// GET /campaigns: every campaign, newest first, with what it ran against and a compare form.
import { desc } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { campaigns } from '../schema/index.ts';
import { h, pageShell } from './html.ts';

export type CampaignListRow = typeof campaigns.$inferSelect;

export const loadCampaignList = (db: Db) =>
  db.select().from(campaigns).orderBy(desc(campaigns.startedAt)).limit(200);

const ticksLink = (id: string) => `/ticks?campaign=${encodeURIComponent(id)}`;

export function renderCampaignsPage(rows: CampaignListRow[]): string {
  const options = (selected: number) =>
    rows.map(
      (r, i) =>
        h`<option value="${r.id}"${i === selected ? ' selected' : ''}>${r.label} · ${r.startedAt.toISOString().slice(0, 16)}</option>`,
    );
  const form = rows.length
    ? h`<form class="filters" method="get" action="/compare">
<label>baseline<select name="baseline">${options(Math.min(1, rows.length - 1))}</select></label>
<label>candidate<select name="candidate">${options(0)}</select></label>
<button type="submit">compare</button></form>`
    : h`<p>No campaigns yet: <code>personas run --label baseline</code> runs one.</p>`;
  const table = h`<table><thead><tr><th>label</th><th>status</th><th>started</th><th>personas × trials</th><th>ticks</th><th>provider / model</th><th>code</th><th>prompts</th><th>catalog</th></tr></thead><tbody>
${rows.map((r) => {
  const s = (r.summary ?? {}) as { ticks?: number };
  return h`<tr><td><a href="${ticksLink(r.id)}" title="${r.id}">${r.label}</a></td><td>${r.status}</td><td>${r.startedAt.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${r.personas} × ${r.trials}</td><td><a href="${ticksLink(r.id)}">${s.ticks ?? '–'}</a></td><td>${r.provider} / ${r.model}</td><td>${r.codeVersion}</td><td>${r.promptVersion}</td><td>${r.catalogHash}</td></tr>`;
})}
</tbody></table>`;
  return pageShell({
    title: 'campaigns',
    heading: 'Campaigns',
    meta: `${rows.length} campaign${rows.length === 1 ? '' : 's'}`,
    nav: h`<a href="/campaigns">campaigns</a>`,
    body: h`<section><h2>Compare two campaigns</h2>${form}</section><section><h2>All campaigns</h2>${table}</section>`,
  });
}
