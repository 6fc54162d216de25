// The reports' stylesheet, inlined into each file (no external asset: the file reads offline, attached
// to a CI run or mailed). Verdict colours follow the Markdown's 🔴 🟢 🟡 ⚪.
export const REPORT_CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2933;--muted:#66727f;--line:#e3e7ec;--accent:#3b6ea5;
--regressed:#c4524f;--missing:#c4524f;--improved:#3f8a52;--inconclusive:#c9941f;--unchanged:#7b8794;--insufficient:#a9b2bc}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
header{padding:20px 28px 6px}
header h1{font-size:21px;margin:0 0 4px}
header .sub{color:var(--muted);font-size:13px}
main{padding:8px 28px 32px;display:grid;gap:18px;max-width:1900px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 18px;min-width:0}
section h2{font-size:15px;margin:0 0 10px}
a{color:var(--accent)}
.banner{border-radius:10px;padding:12px 18px;font-size:16px;font-weight:600;color:#fff}
.banner.fail{background:var(--regressed)}.banner.pass{background:var(--improved)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600}
.card .s{color:var(--muted);font-size:12px}
.wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:500;font-size:12px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.side{min-width:170px}
td.why{color:var(--muted);font-size:12px;min-width:160px}
.verdict{display:inline-block;padding:1px 8px;border-radius:999px;color:#fff;font-size:12px;font-weight:600;white-space:nowrap}
.bar{position:relative;display:inline-block;width:160px;height:16px;vertical-align:middle;background:linear-gradient(#d5dbe2,#d5dbe2) center/100% 1px no-repeat}
.bar .band{position:absolute;top:2px;height:12px;background:#e2e8ef;border-radius:2px}
.bar .zero{position:absolute;top:0;width:1px;height:16px;background:#9aa5b1}
.bar .ci{position:absolute;top:7px;height:2px;background:#52606d}
.bar .vi{position:absolute;top:5px;height:6px;border-radius:3px;opacity:.55;background:var(--accent)}
.bar .dot{position:absolute;top:4px;width:8px;height:8px;margin-left:-4px;border-radius:50%;background:var(--accent)}
${['regressed', 'missing', 'improved', 'inconclusive', 'unchanged', 'insufficient']
  .map((v) => `.verdict.${v}{background:var(--${v})}.tone-${v} .vi,.tone-${v} .dot{background:var(--${v})}`)
  .join('\n')}
.legend{color:var(--muted);font-size:12px;margin-top:8px}
ul.hurt,ul.notes{margin:0;padding-left:18px}
ul.notes li{margin:6px 0}
.note{white-space:pre-wrap;word-break:break-word}
.muted{color:var(--muted)}
footer{padding:0 28px 24px;color:var(--muted);font-size:12px}
`;
