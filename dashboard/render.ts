import type { DashboardData, ErrorCounts, RecentTick, ToolHotspot } from './queries.ts';
import { ERROR_CLASSES } from '../lib/vocabulary.ts';

export interface RenderOptions {
  /** The Temporal Web UI, e.g. http://localhost:8233; without it workflow ids are plain text. */
  temporalUiUrl?: string | undefined;
  namespace?: string | undefined;
  /** Seconds between automatic reloads (a meta refresh; no JavaScript); 0 turns it off. */
  refreshSeconds?: number | undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value for HTML text and (quoted) attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Tagged template `h`: every interpolated value is escaped unless it is already `Html` (arrays are joined).
 * Not named `html`, so formatters leave the markup's whitespace alone.
 */
class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
const raw = (s: string) => new Html(s);
function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += interpolate(v) + strings[i + 1]!;
  });
  return new Html(out);
}
function interpolate(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** One URL path segment: percent-encoded, but `:` and `@` (valid in a path, common in scheduled ids) kept. */
const pathSegment = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@');

/**
 * The Web UI page of a workflow: `${uiUrl}/namespaces/${namespace}/workflows/${workflowId}`, or
 * undefined when no UI is known (or it is not an http(s) URL).
 */
export function temporalWorkflowUrl(
  uiUrl: string | undefined,
  namespace: string | undefined,
  workflowId: string,
): string | undefined {
  if (!uiUrl || !/^https?:\/\//i.test(uiUrl)) return undefined;
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${pathSegment(namespace ?? 'default')}/workflows/${pathSegment(workflowId)}`;
}

const MODULE_COLORS = [
  '#3b6ea5',
  '#c0713a',
  '#4f8a5b',
  '#8a5a9e',
  '#b8505a',
  '#3d8c8c',
  '#8c7a3d',
  '#5b6475',
];
const CLASS_COLORS: Record<keyof ErrorCounts, string> = {
  persona: '#d29b3a',
  product: '#c4524f',
  policy: '#7f62a8',
  infra: '#4f7fa8',
  unclassified: '#9aa1ab',
};
const CLASS_HINTS: Record<keyof ErrorCounts, string> = {
  persona: 'the model sent invalid input',
  product: 'the tool’s handler failed',
  policy: 'denied by the policy gate',
  infra: 'timeout or gateway down',
  unclassified: 'no error class recorded',
};
const CLASS_KEYS = [...ERROR_CLASSES, 'unclassified'] as const;

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtPct = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;
const fmtUsd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
const fmtMs = (n: number | null) =>
  n === null ? '–' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
const fmtTokens = (n: number) =>
  n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
/** `2024-05-03 14:05` (UTC): short and sortable. */
const fmtTime = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–');
const fmtDuration = (ms: number | null) =>
  ms === null
    ? ''
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const bucketLabel = (iso: string, bucket: 'hour' | 'day') =>
  bucket === 'hour'
    ? `${iso.slice(11, 13)}:00`
    : `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
const stars = (r: number | null) => (r === null ? '–' : `${r.toFixed(1)}★`);

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2933;--muted:#66727f;--line:#e3e7ec;--accent:#3b6ea5;--ok:#4f8a5b;--bad:#c4524f;--warn:#d29b3a}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{padding:20px 32px 8px;display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 24px}
header h1{font-size:20px;margin:0;font-weight:600}
header .meta{color:var(--muted);font-size:13px}
header nav{margin-left:auto;font-size:13px;display:flex;gap:14px;flex-wrap:wrap}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
main{padding:8px 32px 40px;display:grid;grid-template-columns:minmax(0,1fr);gap:20px;max-width:1400px}
main>*{min-width:0}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px}
section h2{font-size:15px;margin:0 0 12px;font-weight:600}
section h2 small{font-weight:400;color:var(--muted);margin-left:8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;background:none;border:0;padding:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:24px;font-weight:600;margin:2px 0}
.card .sub{color:var(--muted);font-size:12px}
.empty{color:var(--muted);font-style:italic;margin:4px 0}
.chart{width:100%;height:auto;display:block}
.chart text{font-size:11px;fill:var(--muted)}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:8px;font-size:13px}
.legend span.sw,.classes span.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.legend .n{color:var(--muted)}
.hot{display:grid;grid-template-columns:minmax(140px,220px) 1fr auto;gap:6px 14px;align-items:center}
.hot .tool{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hot .bar{height:14px;background:#eef1f4;border-radius:3px;display:flex;overflow:hidden}
.hot .bar span{display:block;height:100%}
.hot .stats{color:var(--muted);font-size:12px;white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
.hot .stats b{color:var(--ink);font-weight:600}
.classes{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted);margin-top:12px}
.tablewrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
th{color:var(--muted);font-weight:500;font-size:12px;white-space:normal;vertical-align:bottom}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td .who{font-weight:500}
td .sub{color:var(--muted);font-size:12px}
td.wf{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;white-space:normal;word-break:break-all;width:22%;min-width:140px}
td.reason{white-space:normal;overflow-wrap:break-word;max-width:180px}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;background:#eef1f4;color:var(--ink)}
.pill.completed{background:#e4f1e7;color:#2f6b3d}
.pill.failed{background:#f8e3e2;color:#8f2f2c}
.pill.running{background:#e3edf8;color:#2d5b8c}
.pill.cancelled{background:#f3ecdc;color:#7a5a1c}
.err{color:var(--bad);font-weight:600}
.notes{list-style:none;margin:0;padding:0;display:grid;gap:10px}
.notes li{border-left:3px solid var(--line);padding:2px 0 2px 12px}
.notes .head{font-size:12px;color:var(--muted)}
.notes .text{white-space:pre-wrap;word-break:break-word}
details{margin-top:10px;font-size:13px}
details summary{cursor:pointer;color:var(--muted)}
footer{padding:0 32px 24px;color:var(--muted);font-size:12px}
`;

function ratingsChart(data: DashboardData): Html {
  const { buckets, bucket } = data.range;
  const modules = data.ratings;
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
    const coords = pts.map((e) => `${x(e.i).toFixed(1)},${y(e.p.average).toFixed(1)}`).join(' ');
    const line =
      pts.length > 1
        ? h`<polyline fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round" points="${coords}"/>`
        : '';
    const dots = pts.map(
      (e) =>
        h`<circle cx="${x(e.i).toFixed(1)}" cy="${y(e.p.average).toFixed(1)}" r="3.5" fill="${color}"><title>${m.module} · ${fmtTime(e.p.bucket)} UTC · ${e.p.average.toFixed(2)}★ from ${e.p.count} rating(s)</title></circle>`,
    );
    return h`<g data-module="${m.module}">${line}${dots}</g>`;
  });
  const legend = modules.map(
    (m, mi) =>
      h`<span><span class="sw" style="background:${MODULE_COLORS[mi % MODULE_COLORS.length]!}"></span>${m.module} <b>${stars(m.average)}</b> <span class="n">×${m.count}</span></span>`,
  );
  const numbers = modules.flatMap((m) =>
    m.points.map(
      (p) =>
        h`<tr><td>${m.module}</td><td>${fmtTime(p.bucket)}</td><td class="num">${p.average.toFixed(2)}</td><td class="num">${p.count}</td></tr>`,
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
    return h`<div class="tool" title="${t.tool}">${t.tool}</div>
<div class="bar" title="${t.errors} of ${t.calls} calls failed">${segments}<span style="width:${width(t.calls - t.errors)}%;background:#cfe0d3"></span></div>
<div class="stats"><b class="${t.errors ? 'err' : ''}">${t.errors}</b> / ${t.calls} calls · ${fmtPct(t.errorRate)} · p50 ${fmtMs(t.p50LatencyMs)} · p95 ${fmtMs(t.p95LatencyMs)}</div>`;
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
<td><div class="who">${t.displayName}</div><div class="sub">${t.email} · ${t.archetype}</div></td>
<td><span class="pill ${t.status}">${t.status}</span></td>
<td class="reason"${reason ? h` title="${reason}"` : ''}>${t.endReason ?? '–'}</td>
<td class="num">${t.rounds}</td>
<td class="num">${t.toolCalls}</td>
<td class="num">${t.errors ? h`<span class="err">${t.errors}</span>` : '0'}</td>
<td class="num">${stars(t.averageRating)}</td>
<td class="num" title="${tokens}">${fmtTokens(t.tokens.total)}</td>
<td class="num">${fmtUsd(t.costUsd)}</td>
<td class="num"${t.historyEvents === null ? '' : h` title="${t.historyEvents} events"`}>${t.historyKb === null ? '–' : t.historyKb.toFixed(1)}</td>
<td>${fmtTime(t.startedAt)}<div class="sub">${ended(t)}</div></td>
<td class="wf">${wf}</td>
</tr>`;
}

function ticksTable(data: DashboardData, opts: RenderOptions): Html {
  if (!data.recentTicks.length)
    return h`<p class="empty">No ticks yet: run <code>personas tick &lt;persona&gt;</code> or <code>personas up</code>.</p>`;
  return h`<div class="tablewrap"><table>
<thead><tr><th>persona</th><th>status</th><th>end reason</th><th class="num">rounds</th><th class="num">tool calls</th><th class="num">errors</th><th class="num">rating</th><th class="num">tokens</th><th class="num">cost</th><th class="num">history KB</th><th>started / ended (UTC)</th><th>workflow</th></tr></thead>
<tbody>${data.recentTicks.map((t) => tickRow(t, opts))}</tbody></table></div>`;
}

function notesList(data: DashboardData): Html {
  if (!data.recentNotes.length) return h`<p class="empty">No rating notes yet.</p>`;
  const items = data.recentNotes.map(
    (n) =>
      h`<li><div class="head">${n.module} · <b>${n.rating === null ? 'unparseable' : `${n.rating}★`}</b> · ${n.displayName} (${n.email}) · ${fmtTime(n.createdAt)}</div><div class="text">${n.notes}</div></li>`,
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
<nav>${ranges}<a href="api/summary.json?days=${days}">JSON</a>${uiHome ? h`<a href="${uiHome}">Temporal Web UI</a>` : ''}</nav>
</header>
<main>
${cards(data)}
<section><h2>Ratings per module<small>average 1–5 per ${bucket}</small></h2>${ratingsChart(data)}</section>
<section><h2>Error hotspots<small>per tool, most errors first</small></h2>${hotspotList(data.hotspots)}</section>
<section><h2>Recent ticks<small>latest ${data.recentTicks.length}</small></h2>${ticksTable(data, opts)}</section>
<section><h2>What personas said<small>latest rating notes</small></h2>${notesList(data)}</section>
</main>
<footer>Times are UTC. Errors: persona = the model sent invalid input · product = the tool failed · policy = denied by the gate · infra = timeout or gateway down.</footer>
</body>
</html>
`;
  return page.value;
}
