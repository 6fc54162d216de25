import type { DashboardData, ToolHotspot } from './queries.ts';
import type { RecentTick } from './ticks-query.ts';
import {
  raw,
  h,
  pathSegment,
  temporalWorkflowUrl,
  MODULE_COLORS,
  CLASS_COLORS,
  CLASS_HINTS,
  CLASS_KEYS,
  fmtInt,
  fmtPct,
  fmtUsd,
  fmtMs,
  fmtTokens,
  fmtTime,
  fmtDuration,
  bucketLabel,
  stars,
  CSS,
  type Html,
} from './html.ts';

export { escapeHtml, temporalWorkflowUrl } from './html.ts';

export interface RenderOptions {
  /** The Temporal Web UI, e.g. http://localhost:8233; without it workflow ids are plain text. */
  temporalUiUrl?: string | undefined;
  namespace?: string | undefined;
  /** Seconds between automatic reloads (a meta refresh; no JavaScript); 0 turns it off. */
  refreshSeconds?: number | undefined;
}

/** Average rating per module over the range's buckets: an SVG line chart, legend, and the numbers. */
export function ratingsChart(
  modules: DashboardData['ratings'],
  range: Pick<DashboardData['range'], 'buckets' | 'bucket'>,
): Html {
  const { buckets, bucket } = range;
  if (!modules.length)
    return h`<p class="empty">No ratings in this range yet: they appear after a tick’s rating turn.</p>`;
  const W = 1100;
  const H = 280;
  const pad = { l: 34, r: 14, t: 12, b: 28 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const index = new Map(buckets.map((b, i) => [b, i]));
  const x = (i: number) => pad.l + (buckets.length <= 1 ? iw / 2 : (i * iw) / (buckets.length - 1));
  const y = (rating: number) => pad.t + ((5 - rating) * ih) / 4;
  const grid = [1, 2, 3, 4, 5].map(
    (r) =>
      h`<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(r)}" y2="${y(r)}" stroke="#e3e7ec"/><text x="${pad.l - 8}" y="${y(r) + 4}" text-anchor="end">${r}★</text>`,
  );
  const every = Math.max(1, Math.ceil(buckets.length / 12));
  // Counted back from the newest bucket, so "now" is always labelled and the spacing stays even.
  const xLabels = buckets.map((b, i) => {
    if ((buckets.length - 1 - i) % every !== 0) return '';
    const anchor = i === buckets.length - 1 && i > 0 ? 'end' : i === 0 ? 'start' : 'middle';
    return h`<text x="${x(i)}" y="${H - 8}" text-anchor="${anchor}">${bucketLabel(b, bucket)}</text>`;
  });
  const series = modules.map((m, mi) => {
    const color = MODULE_COLORS[mi % MODULE_COLORS.length]!;
    const pts = m.points
      .map((p) => ({ p, i: index.get(p.bucket) }))
      .filter((e): e is { p: (typeof m.points)[number]; i: number } => e.i !== undefined);
    const coords = pts.map((e) => `${x(e.i).toFixed(1)},${y(e.p.mean).toFixed(1)}`).join(' ');
    const line =
      pts.length > 1
        ? h`<polyline fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" points="${coords}"/>`
        : '';
    const dots = pts.map(
      (e) =>
        h`<circle cx="${x(e.i).toFixed(1)}" cy="${y(e.p.mean).toFixed(1)}" r="3.5" fill="${color}"><title>${m.module} · ${fmtTime(e.p.bucket)} UTC · ${e.p.mean.toFixed(2)}★ from ${e.p.n} rating(s)</title></circle>`,
    );
    return h`<g data-module="${m.module}">${line}${dots}</g>`;
  });
  const legend = modules.map(
    (m, mi) =>
      h`<span><span class="sw" style="background:${MODULE_COLORS[mi % MODULE_COLORS.length]!}"></span>${m.module} <b>${stars(m.mean)}</b> <span class="n">×${m.n}</span></span>`,
  );
  const numbers = modules.flatMap((m) =>
    m.points.map(
      (p) =>
        h`<tr><td>${m.module}</td><td>${fmtTime(p.bucket)}</td><td class="num">${p.mean.toFixed(2)}</td><td class="num">${p.n}</td></tr>`,
    ),
  );
  return h`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="Average rating per module, ${bucket === 'hour' ? 'hourly' : 'daily'}">${grid}${xLabels}${series}</svg>
<div class="legend">${legend}</div>
<details><summary>the numbers</summary><div class="tablewrap"><table><thead><tr><th>module</th><th>${bucket} (UTC)</th><th class="num">average</th><th class="num">ratings</th></tr></thead><tbody>${numbers}</tbody></table></div></details>`;
}

function hotspotList(hotspots: ToolHotspot[]): Html {
  if (!hotspots.length) return h`<p class="empty">No tool calls in this range yet.</p>`;
  const maxCalls = Math.max(...hotspots.map((t) => t.calls), 1);
  const width = (n: number) => ((n / maxCalls) * 100).toFixed(2);
  const rows = hotspots.map((t) => {
    const segments = CLASS_KEYS.filter((c) => t.errorsByClass[c] > 0).map(
      (c) =>
        h`<span style="width:${width(t.errorsByClass[c])}%;background:${CLASS_COLORS[c]}" title="${c}: ${t.errorsByClass[c]}"></span>`,
    );
    const byClass = CLASS_KEYS.filter((c) => c !== 'unclassified' && t.errorsByClass[c] > 0).map(
      (c) =>
        h` · <a href="/ticks?tool=${encodeURIComponent(t.tool)}&amp;errorClass=${c}">${c} ${t.errorsByClass[c]}</a>`,
    );
    return h`<div class="tool" title="${t.tool}"><a href="/ticks?tool=${encodeURIComponent(t.tool)}">${t.tool}</a></div>
<div class="bar" title="${t.errors} of ${t.calls} calls failed">${segments}<span style="width:${width(t.calls - t.errors)}%;background:#cfe0d3"></span></div>
<div class="stats"><b class="${t.errors ? 'err' : ''}">${t.errors}</b> / ${t.calls} calls · ${fmtPct(t.errorRate)} · p50 ${fmtMs(t.p50LatencyMs)} · p95 ${fmtMs(t.p95LatencyMs)}${byClass}</div>`;
  });
  const key = CLASS_KEYS.map(
    (c) =>
      h`<span title="${CLASS_HINTS[c]}"><span class="sw" style="background:${CLASS_COLORS[c]}"></span>${c}</span>`,
  );
  return h`<div class="hot">${rows}</div><div class="classes">${key}<span><span class="sw" style="background:#cfe0d3"></span>ok</span></div>`;
}

/** "ended 05:22 · 40.0 s" (the date only when it differs from the start), or "still running". */
function ended(t: RecentTick): string {
  if (!t.endedAt) return t.status === 'running' ? 'still running' : '';
  const when =
    t.endedAt.slice(0, 10) === t.startedAt.slice(0, 10) ? t.endedAt.slice(11, 16) : fmtTime(t.endedAt);
  const took = fmtDuration(t.durationMs);
  return `ended ${when}${took ? ` · ${took}` : ''}`;
}

function tickRow(t: RecentTick, opts: RenderOptions): Html {
  const link = temporalWorkflowUrl(opts.temporalUiUrl, opts.namespace, t.workflowId);
  const wf = link
    ? h`<a href="${link}" title="open in the Temporal Web UI">${t.workflowId}</a>`
    : h`${t.workflowId}`;
  const reason = t.failure ?? t.ratingError ?? undefined;
  const tokens = `in ${t.tokens.input} · out ${t.tokens.output} · cache write ${t.tokens.cacheWrite} · cache read ${t.tokens.cacheRead}`;
  return h`<tr>
<td><div class="who"><a href="/personas/${pathSegment(t.personaId)}">${t.displayName}</a></div><div class="sub">${t.email} · ${t.archetype}</div></td>
<td><span class="pill ${t.status}">${t.status}</span></td>
<td class="reason"${reason ? h` title="${reason}"` : ''}>${t.endReason ?? '–'}</td>
<td class="num">${t.rounds}</td>
<td class="num">${t.toolCalls}</td>
<td class="num">${t.errors ? h`<span class="err">${t.errors}</span>` : '0'}</td>
<td class="num">${stars(t.averageRating)}</td>
<td class="num" title="${tokens}">${fmtTokens(t.tokens.total)}</td>
<td class="num">${fmtUsd(t.costUsd)}</td>
<td class="num"${t.historyEvents === null ? '' : h` title="${t.historyEvents} events"`}>${t.historyKb === null ? '–' : t.historyKb.toFixed(1)}</td>
<td><a href="/ticks/${pathSegment(t.id)}" title="read this tick">${fmtTime(t.startedAt)}</a><div class="sub">${ended(t)}</div></td>
<td class="wf">${wf}</td>
</tr>`;
}

/** A table of ticks: persona (links to its page), outcome, totals, and the tick page / Web UI links. */
export function ticksTable(ticks: RecentTick[], opts: RenderOptions): Html {
  if (!ticks.length)
    return h`<p class="empty">No ticks yet: run <code>personas tick &lt;persona&gt;</code> or <code>personas up</code>.</p>`;
  return h`<div class="tablewrap"><table>
<thead><tr><th>persona</th><th>status</th><th>end reason</th><th class="num">rounds</th><th class="num">tool calls</th><th class="num">errors</th><th class="num">rating</th><th class="num">tokens</th><th class="num">cost</th><th class="num">history KB</th><th>started / ended (UTC)</th><th>workflow</th></tr></thead>
<tbody>${ticks.map((t) => tickRow(t, opts))}</tbody></table></div>`;
}

function notesList(data: DashboardData): Html {
  if (!data.recentNotes.length) return h`<p class="empty">No rating notes yet.</p>`;
  const items = data.recentNotes.map(
    (n) =>
      h`<li><div class="head">${n.module} · <b>${n.rating === null ? 'unparseable' : `${n.rating}★`}</b> · ${n.displayName} (${n.email}) · <a href="/ticks/${pathSegment(n.tickId)}">${fmtTime(n.createdAt)}</a></div><div class="text">${n.notes}</div></li>`,
  );
  return h`<ul class="notes">${items}</ul>`;
}

function cards(data: DashboardData): Html {
  const t = data.totals;
  const status = (s: string) => t.ticksByStatus[s] ?? 0;
  const classes = CLASS_KEYS.filter((c) => c !== 'unclassified' || t.errorsByClass.unclassified > 0)
    .map((c) => `${c} ${t.errorsByClass[c]}`)
    .join(' · ');
  const card = (label: string, value: string, sub: string) =>
    h`<div class="card"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
  return h`<section class="cards" aria-label="totals">
${card('ticks', fmtInt(t.ticks), `${status('completed')} completed · ${status('failed')} failed · ${status('running')} running · ${status('cancelled')} cancelled`)}
${card('tool calls', fmtInt(t.actions), `${t.actionErrors} errors (${fmtPct(t.errorRate)})`)}
${card('errors by class', fmtInt(t.actionErrors), classes)}
${card('average rating', stars(t.averageRating), `${t.ratings} ratings${t.parseFailures ? ` · ${t.parseFailures} unparseable` : ''}`)}
${card('cost', fmtUsd(t.costUsd), `${fmtTokens(t.tokens.input)} in · ${fmtTokens(t.tokens.output)} out · ${fmtTokens(t.tokens.cacheRead)} cache read`)}
${card('personas', fmtInt(t.personas), t.pausedPersonas ? `${t.pausedPersonas} paused` : 'none paused')}
</section>`;
}

/** The whole dashboard page: server-rendered, no scripts, no external assets. */
function goalsTable(goals: DashboardData['goals']): Html {
  return h`<table><thead><tr><th>module</th><th>judged by</th><th class="num">achieved</th><th class="num">judged</th><th class="num">success</th><th class="num">not attempted / check error</th></tr></thead><tbody>${goals.map(
    (g) =>
      h`<tr><td>${g.module}</td><td>${g.source}</td><td class="num">${g.achieved}</td><td class="num">${g.judged}</td><td class="num">${g.judged ? `${Math.round((100 * g.achieved) / g.judged)} %` : '–'}</td><td class="num">${g.notJudged}</td></tr>`,
  )}</tbody></table>`;
}

export function renderDashboard(data: DashboardData, opts: RenderOptions = {}): string {
  const refresh = opts.refreshSeconds ?? 10;
  const { days, bucket } = data.range;
  const rangeText = `last ${days} day${days === 1 ? '' : 's'}, ${bucket === 'hour' ? 'hourly' : 'daily'} (UTC)`;
  const uiHome =
    opts.temporalUiUrl && /^https?:\/\//i.test(opts.temporalUiUrl)
      ? `${opts.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${pathSegment(opts.namespace ?? 'default')}/workflows`
      : undefined;
  const ranges = [1, 7, 14, 30].map((d) =>
    d === days ? h`<b>${d}d</b>` : h`<a href="?days=${d}">${d}d</a>`,
  );
  const page = h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh > 0 ? h`<meta http-equiv="refresh" content="${refresh}">` : ''}
<title>persona-runner · dashboard</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header>
<h1>persona-runner</h1>
<span class="meta">${rangeText} · updated ${fmtTime(data.generatedAt)} UTC${refresh > 0 ? ` · refreshes every ${refresh}s` : ''}</span>
<nav>${ranges}<a href="/ticks">all ticks</a><a href="api/summary.json?days=${days}">JSON</a>${uiHome ? h`<a href="${uiHome}">Temporal Web UI</a>` : ''}</nav>
</header>
<main>
${cards(data)}
<section><h2>Ratings per module<small>average 1–5 per ${bucket}</small></h2>${ratingsChart(data.ratings, data.range)}</section>
${data.goals.length ? h`<section><h2>Goals per module<small>achieved of judged — checked in the product, or the persona’s own word</small></h2>${goalsTable(data.goals)}</section>` : ''}
<section><h2>Error hotspots<small>per tool, most errors first</small></h2>${hotspotList(data.hotspots)}</section>
<section><h2>Recent ticks<small>latest ${data.recentTicks.length}</small></h2>${ticksTable(data.recentTicks, opts)}</section>
<section><h2>What personas said<small>latest rating notes</small></h2>${notesList(data)}</section>
</main>
<footer>Times are UTC. Errors: persona = the model sent invalid input · product = the tool failed · policy = denied by the gate · infra = timeout or gateway down.</footer>
</body>
</html>
`;
  return page.value;
}
