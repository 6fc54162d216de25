// The fenced code blocks of a Markdown file, with what the README's doc test needs to know of each:
// its language, the words after it (`bash runnable`), where it starts, and the HTML comment on the
// line before it (how a block that is not run says which test covers it, or why nothing can).

export interface FencedBlock {
  lang: string;
  /** Words after the language in the info string (e.g. `runnable`). */
  flags: string[];
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** The text of an `<!-- … -->` comment on the line just before the fence, if any. */
  note: string | undefined;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end === -1) throw new Error(`line ${i + 1}: a code block that never closes`);
    const note = /^<!--\s*(.*?)\s*-->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({
      lang: open[1]!,
      flags: open[2]!.trim().split(/\s+/).filter(Boolean),
      line: i + 1,
      code: lines.slice(i + 1, end).join('\n'),
      note,
    });
    i = end;
  }
  return blocks;
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens, a
 * repeated heading suffixed -1, -2, … (code fences skipped).
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const m = fence ? null : /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

/** The targets of a file's Markdown links (`[text](target)`), outside code fences and inline code. */
export function linkTargets(markdown: string): Array<{ line: number; target: string }> {
  const out: Array<{ line: number; target: string }> = [];
  let fence = false;
  markdown.split('\n').forEach((line, i) => {
    if (line.startsWith('```')) fence = !fence;
    if (fence) return;
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g))
      out.push({ line: i + 1, target: m[1]! });
  });
  return out;
}
