import { distance } from 'fastest-levenshtein';

/**
 * The names closest to a mistyped one (edit distance, as commander suggests flags), the best and its ties:
 * only those within a third of the name's length (at least 2 edits), so a wild guess suggests nothing.
 */
export function closestNames(input: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(input.length / 3));
  const close = [...new Set(names)]
    .map((name) => ({ name, d: distance(input.toLowerCase(), name.toLowerCase()) }))
    .filter((c) => c.d <= limit && c.name !== input)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  // Only the best (ties included): "base" for "bse", not every label two edits away as well.
  return close
    .filter((c) => c.d === close[0]!.d)
    .slice(0, max)
    .map((c) => c.name);
}

/** ` — did you mean "base"?` (or `"a" or "b"`), or '' when nothing is close. */
export function didYouMean(input: string, names: Iterable<string>): string {
  const close = closestNames(input, names);
  if (!close.length) return '';
  const quoted = close.map((n) => `"${n}"`);
  return `: did you mean ${quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0]}?`;
}
