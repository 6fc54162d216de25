// The dashboard's HTML toolkit: escaping (the \`h\` tagged template), formatting, links into the
// Temporal Web UI, the shared stylesheet and the page shell. Pages are server-rendered, no scripts.
import type { ErrorCounts } from './error-counts.ts';
import { ERROR_CLASSES } from '../schema/vocabulary.ts';

import { h, raw, type Html } from '../lib/html/markup.ts';

export { escapeHtml, h, Html, raw } from '../lib/html/markup.ts';

/** One URL path segment: percent-encoded, but `:` and `@` (valid in a path, common in scheduled ids) kept. */
export const pathSegment = (s: string) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@');

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

export const MODULE_COLORS = [
  '#3b6ea5',
  '#c0713a',
  '#4f8a5b',
  '#8a5a9e',
  '#b8505a',
  '#3d8c8c',
  '#8c7a3d',
  '#5b6475',
];
export const CLASS_COLORS: Record<keyof ErrorCounts, string> = {
  persona: '#d29b3a',
  product: '#c4524f',
  policy: '#7f62a8',
  infra: '#4f7fa8',
  unclassified: '#9aa1ab',
};
export const CLASS_HINTS: Record<keyof ErrorCounts, string> = {
  persona: 'the model sent invalid input',
  product: 'the tool’s handler failed',
  policy: 'denied by the policy gate',
  infra: 'timeout or gateway down',
  unclassified: 'no error class recorded',
};
export const CLASS_KEYS = [...ERROR_CLASSES, 'unclassified'] as const;

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtPct = (r: number) => `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`;
export const fmtUsd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
export const fmtMs = (n: number | null) =>
  n === null ? '–' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
export const fmtTokens = (n: number) =>
  n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
/** `2024-05-03 14:05` (UTC): short and sortable. */
export const fmtTime = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '–');
export const fmtDuration = (ms: number | null) =>
  ms === null
    ? ''
    : ms < 60_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const bucketLabel = (iso: string, bucket: 'hour' | 'day') =>
  bucket === 'hour'
    ? `${iso.slice(11, 13)}:00`
    : `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
export const stars = (r: number | null) => (r === null ? '–' : `${r.toFixed(1)}★`);

export const CSS = `
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

/** Styles of the tick and persona pages (the conversation, filters), on top of CSS. */
export const DETAIL_CSS = `
.crumbs{font-size:13px;color:var(--muted)}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:13px;margin:0}
.kv dt{color:var(--muted)}
.kv dd{margin:0}
.turn{border-left:3px solid var(--line);padding:4px 0 4px 14px;margin:10px 0}
.turn .round{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.said{white-space:pre-wrap;word-break:break-word;font-size:14px;margin:6px 0}
.call{border:1px solid var(--line);border-radius:8px;margin:8px 0;overflow:hidden}
.call .head{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline;padding:6px 10px;background:#f3f5f8;font-size:13px}
.call .head code{font-weight:600}
.call.error .head{background:#fbeeee}
.call pre{margin:0;padding:8px 10px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-word;max-height:320px;overflow:auto}
.call .args{border-bottom:1px dashed var(--line)}
.cls{display:inline-block;padding:0 6px;border-radius:4px;font-size:11px;color:#fff}
.stars{font-size:16px;letter-spacing:1px;color:#c9a227}
form.filters{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end;font-size:13px;margin-bottom:12px}
form.filters label{display:grid;gap:2px;color:var(--muted)}
form.filters select,form.filters button{font:inherit;padding:3px 6px}
`;

/** A whole page: shell, styles, header with navigation; `body` is the content of <main>. */
export function pageShell(opts: {
  title: string;
  heading: Html | string;
  meta?: Html | string;
  nav?: Html | string;
  body: Html;
  refreshSeconds?: number;
}): string {
  const refresh = opts.refreshSeconds ?? 0;
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh > 0 ? h`<meta http-equiv="refresh" content="${refresh}">` : ''}
<title>${opts.title} · persona-runner</title>
<style>${raw(CSS)}${raw(DETAIL_CSS)}</style>
</head>
<body>
<header>
<h1>${opts.heading}</h1>
${opts.meta ? h`<span class="meta">${opts.meta}</span>` : ''}
<nav><a href="/">dashboard</a><a href="/ticks">ticks</a>${opts.nav ?? ''}</nav>
</header>
<main>
${opts.body}
</main>
<footer>Times are UTC. Errors: persona = the model sent invalid input · product = the tool failed · policy = denied by the gate · infra = timeout or gateway down.</footer>
</body>
</html>
`.value;
}
