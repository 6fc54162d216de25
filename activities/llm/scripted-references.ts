// Fields that refer to something — a path, an id, the name of a thing — are filled from what the
// product showed the persona or what it made itself (scripted-memory.ts), never invented: a read of
// a file it never wrote fails, and that failure would be the persona's, not the product's. A required
// reference with nothing to refer to makes the tool unusable for now (MISSING), so the persona does
// something else first — looks around, or creates the thing.
import type { JsonSchema } from './scripted-inputs.ts';
import { isPathKey, type ProductMemory } from './scripted-memory.ts';
import { phrasesFor, slug } from './scripted-phrases.ts';
import { bareName, type ToolKind } from './scripted-tool-kind.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A required value the persona has nothing to fill with. */
export const MISSING = Symbol('missing');
export type Missing = typeof MISSING;

interface RefContext {
  rnd: SeededRandom;
  archetype: string;
  memory: ProductMemory;
  tool: string;
  kind: ToolKind;
  chosen: { path?: string };
}

/** Fields naming another thing: `from`, `to`, `names`, `entityName`, `entityNames`, `project_name`. */
const NAME_REF = /^(from|to|names|.+Names?|.+_names?)$/;
const ID_REF = /(_id|Id)$/;
const SEARCH_TERM = /^(query|q|search|term|keywords?)$/;

const pickSome = (rnd: SeededRandom, pool: string[]) => [
  ...new Set(Array.from({ length: Math.min(pool.length, rnd.int(1, 2)) }, () => rnd.pick(pool))),
];

/** Things made earlier in the day that no read has shown back yet come first for a read. */
function preferUnread(pool: string[], created: string[], f: RefContext): string[] {
  if (f.kind !== 'read') return pool;
  const fresh = pool.filter((p) => created.includes(p) && !f.memory.readBack.has(p));
  return fresh.length ? fresh : pool;
}

function isPathField(name: string, prop: JsonSchema): boolean {
  return isPathKey(name) || /\b(file|directory) ?path\b|\bpath to\b/i.test(prop.description ?? '');
}

/** A path: a new one under a directory the product allowed, or one the persona knows exists. */
function pathFor(name: string, f: RefContext): string | Missing {
  const { memory, rnd } = f;
  const tool = bareName(f.tool);
  const isNew = (f.kind === 'create' && !/source|src|from/i.test(name)) || /dest|target|new/i.test(name);
  if (isNew) {
    const base = slug(rnd.pick(phrasesFor(f.archetype)));
    const makesDir = /dir|folder/i.test(tool);
    const leaf = `${base}${/dest|target|new/i.test(name) ? `-${rnd.int(2, 99)}` : ''}${makesDir ? '' : '.md'}`;
    // Nothing to put it under (a product that names no directories): a relative name, as a guess.
    return memory.dirs.length ? `${rnd.pick(memory.dirs).replace(/[\\/]+$/, '')}/${leaf}` : leaf;
  }
  const wantsDir = /dir|folder|tree|search|list|allowed/i.test(tool) || /dir|folder/i.test(name);
  const wantsFile = !wantsDir && /file|read|edit|open|cat|source/i.test(`${tool} ${name}`);
  const pool = wantsDir ? memory.dirs : wantsFile ? memory.files : [...memory.files, ...memory.dirs];
  if (!pool.length) return MISSING;
  return rnd.pick(preferUnread(pool, memory.createdFiles, f));
}

/**
 * The value of a field that refers to something, MISSING when the persona knows nothing to refer
 * to, undefined when the field is not a reference (the caller makes a value up).
 */
export function referenceFor(
  name: string,
  prop: JsonSchema,
  type: string | undefined,
  f: RefContext,
): unknown {
  const { memory, rnd } = f;
  const many = type === 'array' && (prop.items?.type === 'string' || !prop.items?.type);
  if (type !== 'string' && !many && type !== undefined) return undefined;
  // Patterns to leave things out of a listing would only hide what the persona came to see.
  if (/^exclude/i.test(name)) return MISSING;
  if (ID_REF.test(name)) {
    const key = name
      .replace(/Id$/, '_id')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    const ids = memory.ids[key];
    if (!ids?.length) return MISSING;
    return many ? pickSome(rnd, ids) : rnd.pick(ids);
  }
  if (isPathField(name, prop)) {
    if (!many) return pathFor(name, f);
    const pool = preferUnread(
      memory.createdFiles.length ? memory.createdFiles : memory.files,
      memory.createdFiles,
      f,
    );
    return pool.length ? pickSome(rnd, pool) : MISSING;
  }
  if (NAME_REF.test(name) || (f.kind === 'read' && /^(name|title)$/.test(name))) {
    const pool = preferUnread(
      [...new Set([...memory.createdNames, ...memory.names])],
      memory.createdNames,
      f,
    );
    if (!pool.length) return MISSING;
    return many ? pickSome(rnd, pool) : rnd.pick(pool);
  }
  if (type !== 'string') return undefined;
  if (SEARCH_TERM.test(name)) {
    const pool = [...memory.createdNames, ...memory.names];
    if (!pool.length) return undefined;
    const words = rnd
      .pick(pool)
      .split(/\s+/)
      .filter((w) => w.length > 2);
    return words.length ? rnd.pick(words) : undefined;
  }
  if (/pattern|glob/i.test(name)) {
    const file = memory.createdFiles.length ? rnd.pick(memory.createdFiles) : undefined;
    const word = file?.split(/[\\/]/).pop()?.split(/[-.]/)[0];
    return word ? `**/*${word}*` : '*';
  }
  // An edit quotes the file's own words: a line the persona wrote into it.
  if (/^old/i.test(name)) {
    const text = f.chosen.path !== undefined ? memory.written[f.chosen.path] : undefined;
    const line = text?.split('\n').find((l) => l.trim());
    return line ?? MISSING;
  }
  return undefined;
}
