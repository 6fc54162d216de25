import type { SeededRandom } from './seeded-random.ts';

interface JsonSchema {
  type?: string | string[];
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

const PHRASES: Record<string, string[]> = {
  'adhd-student': [
    'finish the bio lab report',
    'email prof about extension',
    'review flashcards',
    'clean desk (for real)',
  ],
  'ceo-busy': ['board deck review', 'call with the CFO', 'approve Q3 hiring plan', 'prep investor update'],
  'creative-parent': [
    'pack school lunches',
    'sketch for the mural',
    'pediatrician appointment',
    'order paint supplies',
  ],
  'solo-dev': [
    'fix the flaky deploy',
    'write release notes',
    'answer GitHub issues',
    'refactor the billing module',
  ],
  researcher: [
    'read two papers on sparse attention',
    'rerun the ablation',
    'draft the methods section',
    'check citations',
  ],
  freelancer: [
    'send invoice to client',
    'update portfolio',
    'follow up on the proposal',
    'track billable hours',
  ],
  'overwhelmed-newbie': [
    'figure out how this app works',
    'make a first todo',
    'try the journal',
    'find the settings',
  ],
};
const GENERIC = ['plan the week', 'go for a walk', 'drink more water', 'call mum', 'tidy the kitchen'];

/**
 * Ids the persona has seen in earlier tool results, by field name (habit_id, todo_id, note_id…), and
 * under `name` the names of things it has seen (an unknown product's entities, projects, contacts).
 */
export type KnownIds = Record<string, string[]>;

/** Fields that refer to something by name (`entityName`, `entityNames`, `from`, `to`, `names`). */
const REFERS_BY_NAME = /^(from|to|names?|.+Names?|.+_names?)$/;

/**
 * Builds tool arguments from a tool's JSON input schema, the way a person would fill a form:
 * required fields always, optional ones sometimes, ids only from things seen earlier.
 * Returns undefined when a required id is not known yet (the caller picks another tool).
 */
export function buildArguments(
  schema: JsonSchema,
  rnd: SeededRandom,
  archetype: string,
  known: KnownIds,
  today: string,
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (name === 'space_id') continue; // the personal space is the default
    const isRequired = required.has(name);
    if (!isRequired && !rnd.chance(0.35)) continue;
    if (name.endsWith('_id')) {
      const ids = known[name];
      if (!ids?.length) {
        if (isRequired) return undefined;
        continue;
      }
      out[name] = rnd.pick(ids);
      continue;
    }
    const value = valueFor(name, prop, { rnd, archetype, known, today, depth: 0 });
    if (value !== undefined) out[name] = value;
  }
  return out;
}

interface Fill {
  rnd: SeededRandom;
  archetype: string;
  known: KnownIds;
  today: string;
  depth: number;
}

/** A nested object: required fields always, optional ones sometimes. */
function objectFor(schema: JsonSchema, f: Fill): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (!required.has(name) && !f.rnd.chance(0.35)) continue;
    const value = valueFor(name, prop, { ...f, depth: f.depth + 1 });
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function valueFor(name: string, prop: JsonSchema, f: Fill): unknown {
  const { rnd, archetype, known, today } = f;
  if (f.depth > 4) return undefined; // recursive schemas: stop somewhere sensible
  const variant = (prop.anyOf ?? prop.oneOf)?.find((v) => v.type !== 'null');
  if (variant) return valueFor(name, { ...variant, ...prop, anyOf: undefined, oneOf: undefined }, f);
  if (prop.const !== undefined) return prop.const;
  if (prop.enum?.length) return rnd.pick(prop.enum);
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  const names = known.name ?? [];
  switch (type) {
    case 'string': {
      if (prop.format === 'date') return today;
      // Refer to something seen earlier by its name, as a person would (`entityName`, `from`, `to`).
      if (REFERS_BY_NAME.test(name) && names.length) return rnd.pick(names);
      const phrase = rnd.pick(PHRASES[archetype] ?? GENERIC);
      if (name === 'body')
        return `Today I worked on: ${phrase}. ${rnd.pick(['Felt good.', 'Slow going.', 'Got distracted twice.', 'Proud of this one.'])}`;
      if (name === 'query') return phrase.split(' ')[0]!;
      if (name === 'name' || name === 'title') return titleCase(phrase).slice(0, prop.maxLength ?? 200);
      if (/type$/i.test(name)) return rnd.pick(['task', 'person', 'project', 'idea']);
      return phrase.slice(0, prop.maxLength ?? 200);
    }
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
      if (REFERS_BY_NAME.test(name) && names.length && (items.type === 'string' || !items.type))
        return [...new Set(Array.from({ length: count }, () => rnd.pick(names)))];
      const item = name.replace(/s$/, ''); // `observations` → each an `observation`
      const list = Array.from({ length: count }, () => valueFor(item, items, { ...f, depth: f.depth + 1 }));
      return list.filter((v) => v !== undefined);
    }
    default:
      return prop.properties ? objectFor(prop, f) : undefined;
  }
}

function titleCase(phrase: string): string {
  return phrase.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
}
