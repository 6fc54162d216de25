// One self-contained HTML document: inline styles, no script, no external asset. The Content-Security-
// Policy forbids scripts and remote loads outright, so even a slip in escaping could not run anything.
import { h, Html } from '../../html/markup.ts';
import { REPORT_CSS } from './style.ts';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function reportDocument(opts: { title: string; heading: string; sub: Html; body: Html }): string {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<style>${new Html(REPORT_CSS)}</style>
</head>
<body>
<header><h1>${opts.heading}</h1><div class="sub">${opts.sub}</div></header>
<main>
${opts.body}
</main>
<footer>persona-runner report · one file, no scripts: numbers as <code>personas report</code> and <code>personas compare</code> print them.</footer>
</body>
</html>
`.value;
}
