// What the offline persona remembers of its day so far, read back from the conversation: what the
// product showed it (ids, names, the directories it may use, files it listed) and what it made
// itself (files it wrote, names it gave). Inputs are filled from this before anything is made up, as
// a person types the path the app just showed rather than an invented one. Built from the messages
// alone, so the same conversation always gives the same memory (the provider stays deterministic).
import type { MessageParam } from './types.ts';
import { bareName, toolKind, type ToolKind } from './scripted-tool-kind.ts';
import type { ToolHint } from './types.ts';

export interface ProductMemory {
  /** Ids seen in results, by the field that refers to them: `{"todo":{"id":…}}` → `todo_id`. */
  ids: Record<string, string[]>;
  /** Names of things seen in results or given by the persona (entities, habits, projects). */
  names: string[];
  /** Names the persona gave things it created; referred to first. */
  createdNames: string[];
  /** Directories the product named (allowed directories, `[DIR]` entries) or the persona made. */
  dirs: string[];
  /** Files the product listed or the persona wrote. */
  files: string[];
  createdFiles: string[];
  /** What the persona wrote into each file, to edit it by its own words. */
  written: Record<string, string>;
  /** Things a read has already shown back (paths, names, ids passed to a successful read). */
  readBack: Set<string>;
  /** Calls made so far, by tool name. */
  calls: Record<string, { ok: number; failed: number }>;
}

const PATH_WORDS = new Set(
  'path paths dir dirs directory folder file files filename filepath source destination dest target'.split(
    ' ',
  ),
);

/** Keys whose values are paths: `path`, `paths`, `source`, `destination`, `filePath`, `output_dir`. */
export function isPathKey(key: string): boolean {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z]+/);
  // `target_per_period` is a number, `target` alone a place.
  return words.some((w) => PATH_WORDS.has(w)) && !(words.includes('target') && words.length > 1);
}
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])\S/;
const LISTED = /^\[(FILE|DIR)\]\s+(.+?)(\s+\d[\d.]*\s*[KMGT]?B)?$/;

export function emptyMemory(): ProductMemory {
  return {
    ids: {},
    names: [],
    createdNames: [],
    dirs: [],
    files: [],
    createdFiles: [],
    written: {},
    readBack: new Set(),
    calls: {},
  };
}

const add = (list: string[], v: string) => {
  if (!list.includes(v)) list.push(v);
};

/** The text of a tool result's content (a string, or its text blocks joined). */
export const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content
          .map((c: { type?: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : ''))
          .join('\n')
      : '';

const joinPath = (dir: string, name: string) => `${dir.replace(/[\\/]+$/, '')}/${name}`;

/** Ids, names and paths in a JSON answer. */
function learnJson(memory: ProductMemory, value: unknown): void {
  const visit = (v: unknown, owner: string | undefined): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, owner));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'id' && typeof x === 'string' && owner) add((memory.ids[`${owner}_id`] ??= []), x);
      else if ((k === 'name' || k === 'title') && typeof x === 'string' && x.length <= 200)
        add(memory.names, x);
      else if (isPathKey(k) && typeof x === 'string' && ABSOLUTE.test(x)) add(memory.files, x);
      else visit(x, k.replace(/(es|s)$/, '').replace(/^entrie$/, 'entry'));
    }
  };
  visit(value, undefined);
}

/** Paths in a text answer: `Allowed directories:\n/tmp/x`, `[FILE] notes.md` under the listed path. */
function learnText(memory: ProductMemory, tool: string, input: Record<string, unknown>, text: string): void {
  // A tool that names the places the persona may use (`list_allowed_directories`, `list_roots`).
  const namesPlaces = /allowed|roots?\b/i.test(bareName(tool));
  const listedUnder = typeof input.path === 'string' ? input.path : undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const listed = LISTED.exec(line);
    if (listed && listedUnder)
      add(listed[1] === 'DIR' ? memory.dirs : memory.files, joinPath(listedUnder, listed[2]!));
    else if (!ABSOLUTE.test(line) || /:\s/.test(line)) continue;
    else if (namesPlaces) add(memory.dirs, line);
    // A bare path (a search hit) may be a file or a folder: only a name with an extension is taken
    // for a file, so the persona does not read a folder.
    else if (!memory.dirs.includes(line) && /\.[A-Za-z0-9]{1,8}$/.test(line)) add(memory.files, line);
  }
}

const stringEntry = (input: Record<string, unknown>, key: RegExp) =>
  Object.entries(input).find(([k, v]) => key.test(k) && typeof v === 'string') as
    [string, string] | undefined;

/** What a successful call of the persona's own made: the paths and names in its input. */
function learnOwnCall(
  memory: ProductMemory,
  tool: string,
  kind: ToolKind,
  input: Record<string, unknown>,
): void {
  if (kind === 'read') {
    for (const v of Object.values(input).flat()) if (typeof v === 'string') memory.readBack.add(v);
    return;
  }
  const makesDirs = /dir|folder|mkdir/i.test(bareName(tool));
  const source = stringEntry(input, /^(source|src|from_?path|old_?path)$/i)?.[1];
  const content = stringEntry(input, /content|text|body/i)?.[1];
  for (const [key, v] of Object.entries(input)) {
    if (typeof v !== 'string' || v === source || !isPathKey(key)) continue;
    add(makesDirs ? memory.dirs : memory.files, v);
    if (makesDirs) continue;
    add(memory.createdFiles, v);
    if (content !== undefined) memory.written[v] = content;
    else if (source && memory.written[source] !== undefined) memory.written[v] = memory.written[source];
    // A line-based edit: what the file says now, so a later edit can quote it.
    for (const e of Array.isArray(input.edits) ? (input.edits as Array<Record<string, unknown>>) : []) {
      if (typeof e.oldText === 'string' && typeof e.newText === 'string' && memory.written[v] !== undefined)
        memory.written[v] = memory.written[v].replace(e.oldText, e.newText);
    }
  }
  // A moved file is no longer where it was.
  if (source) {
    memory.files = memory.files.filter((f) => f !== source);
    memory.createdFiles = memory.createdFiles.filter((f) => f !== source);
  }
  if (kind !== 'create') return;
  const visit = (v: unknown, key: string): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, key));
    if (v && typeof v === 'object') return Object.entries(v).forEach(([k, x]) => visit(x, k));
    if (typeof v === 'string' && /^(name|title)$/.test(key)) {
      add(memory.createdNames, v);
      add(memory.names, v);
    }
  };
  visit(input, '');
}

/**
 * What the persona remembers, per product (`<product>__<tool>`; the built-in product's tools have no
 * prefix): a name one product showed means nothing to another, while a product split into several
 * modules shares its ids between them (an issue's id in the comments module).
 */
export type DayMemory = Record<string, ProductMemory>;

export const productOf = (tool: string) => (tool.includes('__') ? tool.slice(0, tool.indexOf('__')) : '');

/** The memory of the product a tool belongs to (empty when the persona has not used it yet). */
export const memoryFor = (day: DayMemory, tool: string): ProductMemory =>
  day[productOf(tool)] ?? emptyMemory();

/** The persona's memory of its day: every tool call it made and what the product answered. */
export function memoryOf(messages: MessageParam[], hints: Record<string, ToolHint> = {}): DayMemory {
  const day: DayMemory = {};
  const uses = new Map<string, { name: string; input: Record<string, unknown> }>();
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const block of m.content) {
      if (block.type === 'tool_use') {
        uses.set(block.id, { name: block.name, input: (block.input ?? {}) as Record<string, unknown> });
        continue;
      }
      if (block.type !== 'tool_result') continue;
      const use = uses.get(block.tool_use_id);
      if (!use) continue;
      const memory = (day[productOf(use.name)] ??= emptyMemory());
      const calls = (memory.calls[use.name] ??= { ok: 0, failed: 0 });
      if (block.is_error) {
        calls.failed++;
        continue;
      }
      calls.ok++;
      const text = textOf(block.content);
      try {
        learnJson(memory, JSON.parse(text));
      } catch {
        learnText(memory, use.name, use.input, text);
      }
      learnOwnCall(memory, use.name, toolKind(use.name, hints[use.name]), use.input);
    }
  }
  return day;
}
