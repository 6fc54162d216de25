import type { SeededRandom } from './seeded-random.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  maxItems?: number;
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

/** Ids the persona has seen in earlier tool results, by field name (habit_id, todo_id, note_id…). */
export type KnownIds = Record<string, string[]>;

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
    const value = valueFor(name, prop, rnd, archetype, today);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function valueFor(
  name: string,
  prop: JsonSchema,
  rnd: SeededRandom,
  archetype: string,
  today: string,
): unknown {
  if (prop.enum?.length) return rnd.pick(prop.enum);
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== 'null') : prop.type;
  switch (type) {
    case 'string': {
      if (prop.format === 'date') return today;
      const phrase = rnd.pick(PHRASES[archetype] ?? GENERIC);
      if (name === 'body')
        return `Today I worked on: ${phrase}. ${rnd.pick(['Felt good.', 'Slow going.', 'Got distracted twice.', 'Proud of this one.'])}`;
      if (name === 'query') return phrase.split(' ')[0]!;
      return phrase.slice(0, prop.maxLength ?? 200);
    }
    case 'integer':
    case 'number':
      return rnd.int(Math.max(prop.minimum ?? 1, 1), Math.min(prop.maximum ?? 5, 5));
    case 'boolean':
      return rnd.chance(0.2);
    case 'array':
      return prop.items?.type === 'string' ? [archetype.split('-')[0]!] : [];
    default:
      return undefined;
  }
}
