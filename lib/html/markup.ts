// Markup for every page this project renders (the dashboard and the self-contained HTML reports): the
// `h` tagged template escapes every interpolated value unless it is already markup. Campaign labels,
// persona names and rating notes are user and product input; nothing reaches a page unescaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a value for HTML text and (quoted) attribute values. */
export const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * Markup that is already escaped. The template is named `h`, not `html`, so formatters leave the
 * markup's whitespace alone.
 */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
/** Trusted markup (a stylesheet of our own), taken as it is. */
export const raw = (s: string) => new Html(s);

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
