// How the offline persona fills a tool's form: from what the product showed it first (scripted-
// references.ts: paths, ids, names), made-up values in the persona's voice only where nothing fits.
// Required fields are always sent (a deliberate slip is the provider's, at a seeded rate).
import type { ProductMemory } from './scripted-memory.ts';
import { phrasesFor, titleCase } from './scripted-phrases.ts';
import { MISSING, referenceFor, type Missing } from './scripted-references.ts';
import type { ToolKind } from './scripted-tool-kind.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Who fills the form, for which tool, knowing what. */
export interface FillContext {
  rnd: SeededRandom;
  archetype: string;
  memory: ProductMemory;
  today: string;
  /** The tool's name (bare or prefixed) and what it does. */
  tool: string;
  kind: ToolKind;
}

interface Fill extends FillContext {
  depth: number;
  /** The path chosen for this call (an edit quotes that file's own words). */
  chosen: { path?: string };
}

/**
 * Builds a tool's arguments from its JSON input schema, the way a person fills a form: required
 * fields always, optional ones sometimes, references only to things the product showed. Returns
 * undefined when a required reference is unknown (the caller picks another tool).
 */
export function buildArguments(schema: JsonSchema, ctx: FillContext): Record<string, unknown> | undefined {
  const out = objectFor(schema, { ...ctx, depth: 0, chosen: {} }, true);
  return out === MISSING ? undefined : out;
}

/** An object: required fields always, optional ones sometimes; paths first (edits quote the file). */
function objectFor(schema: JsonSchema, f: Fill, top = false): Record<string, unknown> | Missing {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  const props = Object.entries(schema.properties ?? {}).sort(
    ([a], [b]) => Number(b === 'path') - Number(a === 'path'),
  );
  let optional = 0;
  for (const [name, prop] of props) {
    // The personal space is the default; people do not pick it.
    if (top && name === 'space_id' && !required.has(name)) continue;
    if (!required.has(name)) {
      // Looking something up, a person sets one option at most (`head` and `tail` together are refused).
      if ((f.kind === 'read' && optional) || !f.rnd.chance(0.35)) continue;
      optional++;
    }
    const value = valueFor(name, prop, { ...f, depth: f.depth + 1 });
    if (value === MISSING) {
      if (required.has(name)) return MISSING;
      continue;
    }
    if (value !== undefined) out[name] = value;
    if (name === 'path' && typeof value === 'string') f.chosen.path = value;
  }
  // Schema-less fields the tool requires are still sent.
  for (const name of required) if (!(name in out)) out[name] = f.rnd.pick(phrasesFor(f.archetype));
  return out;
}

function valueFor(name: string, prop: JsonSchema, f: Fill): unknown {
  const { rnd, today } = f;
  if (f.depth > 5) return undefined; // recursive schemas: stop somewhere sensible
  const variant = (prop.anyOf ?? prop.oneOf)?.find((v) => v.type !== 'null');
  if (variant) return valueFor(name, { ...variant, ...prop, anyOf: undefined, oneOf: undefined }, f);
  if (prop.const !== undefined) return prop.const;
  if (prop.enum?.length) return rnd.pick(prop.enum);
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  const reference = referenceFor(name, prop, type, f);
  if (reference !== undefined) return reference;
  switch (type) {
    case 'string':
      return prop.format === 'date' ? today : phraseFor(name, prop, f);
    case 'integer':
    case 'number': {
      const min = Math.ceil(
        prop.minimum ?? (prop.exclusiveMinimum !== undefined ? prop.exclusiveMinimum + 1 : 1),
      );
      return rnd.int(min, Math.max(min, Math.min(prop.maximum ?? min + 4, min + 99)));
    }
    case 'boolean':
      return rnd.chance(0.2);
    case 'object':
      return objectFor(prop, f);
    case 'array': {
      const items = prop.items ?? {};
      const count = Math.max(prop.minItems ?? 1, 1, Math.min(prop.maxItems ?? 2, rnd.int(1, 2)));
      const item = name.replace(/s$/, ''); // `observations` → each an `observation`
      const list = Array.from({ length: count }, () => valueFor(item, items, { ...f, depth: f.depth + 1 }));
      if (list.includes(MISSING)) return MISSING;
      return list.filter((v) => v !== undefined);
    }
    default:
      return prop.properties ? objectFor(prop, f) : undefined;
  }
}

/** Free text in the persona's voice, shaped by what the field is for. */
function phraseFor(name: string, prop: JsonSchema, f: Fill): string {
  const { rnd } = f;
  const phrase = rnd.pick(phrasesFor(f.archetype));
  const max = prop.maxLength ?? 200;
  if (/^(body|content|text|newText)$/.test(name))
    return `Today I worked on: ${phrase}. ${rnd.pick(['Felt good.', 'Slow going.', 'Got distracted twice.', 'Proud of this one.'])}`;
  if (name === 'query') return phrase.split(' ')[0]!;
  if (name === 'name' || name === 'title') return titleCase(phrase).slice(0, max);
  if (/type$/i.test(name)) return rnd.pick(['task', 'person', 'project', 'idea']);
  return phrase.slice(0, max);
}
