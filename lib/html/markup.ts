// Markup for the self-contained HTML reports: the `h` tagged template escapes every interpolated value
// unless it is already markup. Campaign labels, persona names and rating notes are user and product
// input; nothing reaches the page unescaped. (The dashboard keeps its own copy in dashboard/html.ts:
// lib/ may not import a runtime.)

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value for HTML text and (quoted) attribute values. */
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Markup that is already escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const interpolate = (v: unknown): string =>
  v instanceof Html
    ? v.value
    : Array.isArray(v)
      ? v.map(interpolate).join('')
      : v === null || v === undefined || v === false
        ? ''
        : escapeHtml(v);

export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += interpolate(v) + strings[i + 1]!));
  return new Html(out);
}

/** A link when there is somewhere to go, else the text alone. */
export const maybeLink = (href: string | undefined, text: Html | string) =>
  href ? h`<a href="${href}">${text}</a>` : h`${text}`;
