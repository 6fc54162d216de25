// GET /ticks/<id>: a persona's day, in order, with the product's answers and how it rated them.
import type { RenderOptions } from './render.ts';
import {
  CLASS_COLORS,
  fmtDuration,
  fmtMs,
  fmtTime,
  fmtTokens,
  fmtUsd,
  h,
  pageShell,
  pathSegment,
  temporalWorkflowUrl,
  type Html,
} from './html.ts';
import type { TickDetail, TurnBlock } from './tick-detail.ts';

const json = (v: unknown) => JSON.stringify(v, null, 2);
const starRow = (r: number | null) =>
  r === null
    ? h`<span class="err">unparseable</span>`
    : h`<span class="stars" aria-label="${r} of 5">${'★'.repeat(r)}${'☆'.repeat(5 - r)}</span>`;

function errorBadge(cls: string | null): Html {
  if (!cls) return h``;
  const color = CLASS_COLORS[cls as keyof typeof CLASS_COLORS] ?? CLASS_COLORS.unclassified;
  return h`<span class="cls" style="background:${color}" title="error class">${cls}</span>`;
}

function block(b: TurnBlock): Html {
  if (b.kind === 'said') return h`<p class="said">${b.text}</p>`;
  const failed = b.result?.isError || b.action?.outcome === 'error';
  const answer = b.result
    ? h`<pre class="answer">${b.result.text}</pre>`
    : h`<pre class="answer"><i>no answer recorded (the call did not complete)</i></pre>`;
  return h`<div class="call${failed ? ' error' : ''}" id="call-${b.toolUseId}">
<div class="head"><code>${b.name}</code>${failed ? h`<span class="err">error</span>` : h`<span>ok</span>`}${errorBadge(b.action?.errorClass ?? null)}${b.action ? h`<span class="sub">${fmtMs(b.action.latencyMs)}</span>` : ''}<span class="sub">${b.toolUseId}</span></div>
<pre class="args">${json(b.input ?? {})}</pre>
${answer}
</div>`;
}

const OUTCOME_CLASS: Record<string, string> = { achieved: 'ok', failed: 'err', 'check-error': 'err' };

function goalsTable(t: TickDetail): Html {
  return h`<table><thead><tr><th>goal</th><th>module</th><th>judged by</th><th>outcome</th><th>evidence</th></tr></thead><tbody>${t.goals.map(
    (g) =>
      h`<tr><td>${g.goalId}</td><td>${g.module}</td><td>${g.source}</td><td><span class="${OUTCOME_CLASS[g.outcome] ?? ''}">${g.outcome}</span></td><td>${
        g.selfReport
          ? h`<span class="reason">“${g.selfReport.why}”</span>`
          : g.evidence
            ? h`<details><summary>${g.evidence.slice(0, 80)}</summary><pre>${g.evidence}</pre></details>`
            : '–'
      }</td></tr>`,
  )}</tbody></table>`;
}

export function renderTickPage(t: TickDetail, opts: RenderOptions): string {
  const ui = temporalWorkflowUrl(opts.temporalUiUrl, opts.namespace, t.id);
  const personaHref = `/personas/${pathSegment(t.persona.id)}`;
  const took = fmtDuration(t.durationMs);
  const facts = h`<dl class="kv">
<dt>persona</dt><dd><a href="${personaHref}">${t.persona.displayName}</a> · ${t.persona.archetype} · ${t.persona.email}</dd>
${t.campaign ? h`<dt>campaign</dt><dd><a href="/ticks?campaign=${encodeURIComponent(t.campaign.id)}">${t.campaign.label}</a> · trial ${t.campaign.trial ?? '?'}/${t.campaign.trials} · ${t.campaign.id}</dd>` : ''}
<dt>status</dt><dd><span class="pill ${t.status}">${t.status}</span> ${t.endReason ?? ''}${t.failure ? h` · <span class="err">${t.failure}</span>` : ''}${t.ratingError ? h` · ${t.ratingError}` : ''}</dd>
<dt>when</dt><dd>${fmtTime(t.startedAt)} → ${t.endedAt ? fmtTime(t.endedAt) : 'still running'}${took ? ` (${took})` : ''} UTC</dd>
<dt>model</dt><dd>${t.provider ?? '–'} ${t.model ?? ''}</dd>
<dt>rounds · tool calls</dt><dd>${t.rounds} · ${t.toolCalls}</dd>
<dt>tokens · cost</dt><dd title="in ${t.tokens.input} · out ${t.tokens.output} · cache write ${t.tokens.cacheWrite} · cache read ${t.tokens.cacheRead}">${fmtTokens(t.tokens.total)} (in ${fmtTokens(t.tokens.input)} · out ${fmtTokens(t.tokens.output)} · cache write ${fmtTokens(t.tokens.cacheWrite)} · cache read ${fmtTokens(t.tokens.cacheRead)}) · ${fmtUsd(t.costUsd)}</dd>
<dt>workflow</dt><dd>${ui ? h`<a href="${ui}">${t.id}</a> (Temporal Web UI)` : t.id}</dd>
</dl>
<details><summary>system prompt</summary><p class="said">${t.persona.systemPrompt}</p></details>${t.opening ? h`<details><summary>day prompt (with the recap of the previous tick)</summary><p class="said">${t.opening}</p></details>` : ''}`;
  const turns = t.turns.length
    ? t.turns.map(
        (turn) =>
          h`<div class="turn"><div class="round">round ${turn.round + 1}</div>${turn.blocks.map(block)}</div>`,
      )
    : h`<p class="empty">No model turn recorded yet.</p>`;
  const ratings = t.feedback.length
    ? h`<table><thead><tr><th>module</th><th>rating</th><th>notes</th></tr></thead><tbody>${t.feedback.map(
        (f) =>
          h`<tr><td>${f.module}</td><td>${starRow(f.rating)}</td><td class="reason">${f.notes}</td></tr>`,
      )}</tbody></table>`
    : h`<p class="empty">No ratings (the persona used no rated module, or the tick ended before the rating turn).</p>`;
  const body = h`<section>${facts}</section>
<section><h2>The day<small>what ${t.persona.displayName} said and did, and what the product answered</small></h2>${t.withheld ? h`<p class="err">Part of this conversation is withheld: ${t.withheld}.</p>` : ''}${turns}</section>
${t.goals.length ? h`<section><h2>Goals<small>what ${t.persona.displayName} set out to do, and what the product’s end state says</small></h2>${goalsTable(t)}</section>` : ''}
<section><h2>Ratings<small>the rating turn, in character</small></h2>${ratings}${t.rating ? h`<details><summary>raw rating answer</summary><pre>${t.rating.text}</pre></details>` : ''}</section>`;
  return pageShell({
    title: `${t.persona.displayName} · tick`,
    heading: h`${t.persona.displayName}’s tick`,
    meta: h`<span class="crumbs">${fmtTime(t.startedAt)} UTC · ${t.id}</span>`,
    nav: h`<a href="${personaHref}">persona</a>${ui ? h`<a href="${ui}">Temporal Web UI</a>` : ''}`,
    body,
  });
}
