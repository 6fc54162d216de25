// Pieces both reports share: a campaign's facts, its headline cards, and what personas said.
import { pct } from '../format.ts';
import type { RatingNote } from '../rating-notes.ts';
import type { CampaignReport } from '../report.ts';
import type { DashboardLinks } from './links.ts';
import { h, maybeLink, type Html } from '../../html/markup.ts';

const day = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'running');

/** "base · campaign-base-… · scripted/scripted-v1 · code abc · 3 personas × 2 trials · 2026-… → …" */
export function campaignFacts(r: CampaignReport, links: DashboardLinks): Html {
  const c = r.campaign;
  return h`<strong>${maybeLink(links.ticks(c.id), c.label)}</strong> · <code>${c.id}</code> · ${c.provider}/${c.model} · code ${c.codeVersion} · ${c.personas} personas × ${c.trials} trials · seed ${c.seedBase} · ${c.status} · ${day(c.startedAt)} → ${day(c.endedAt)}`;
}

const card = (k: string, v: string, s: Html | string) =>
  h`<div class="card"><div class="k">${k}</div><div class="v">${v}</div><div class="s">${s}</div></div>`;

/** Completion, pass^k, ticks, tokens and cost of one campaign. */
export function headlineCards(r: CampaignReport): Html {
  const passK = Object.entries(r.passK.byK);
  return h`<div class="cards">
${card('completed and rated', pct(r.completion.mean), `95 % [${pct(r.completion.lo)}, ${pct(r.completion.hi)}] · ${r.completion.completed} of ${r.ticks} ticks`)}
${passK.map(([k, v]) => card(`pass^${k}`, pct(v), `all ${k} trial${k === '1' ? '' : 's'} pass (no module below ${r.passK.threshold}★, no product or infra error)`))}
${card('tokens per tick', String(Math.round(r.tokensPerTick)), `$${r.costPerTickUsd.toFixed(4)} per tick`)}
</div>`;
}

/** Rating notes as a list: who, which module, the stars, their words, and the tick behind them. */
export function notesList(notes: readonly RatingNote[], links: DashboardLinks): Html {
  if (!notes.length) return h`<p class="muted">No rating notes.</p>`;
  return h`<ul class="notes">${notes.map(
    (n) =>
      h`<li><strong>${n.name}</strong>${n.archetype ? h` <span class="muted">(${n.archetype})</span>` : h``} rated <strong>${n.module}</strong> ${n.rating}★ — ${maybeLink(links.tick(n.tickId), 'tick')}<div class="note">${n.notes}</div></li>`,
  )}</ul>`;
}
