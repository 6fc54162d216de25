// The catalog `personas init` writes for a product it has just listed: five personas of different
// archetypes who use the product's modules, one goal each — made with a create-like tool and checked
// through a read-only one when the product has both (the check finds the text the call saved),
// otherwise judged by the persona itself (self-reported).
import type { BuiltinArchetype } from '../../schema/vocabulary.ts';
import { carries, sampleArguments } from './sample-arguments.ts';

export interface StarterTool {
  /** The exposed name, `<product>__<tool>`. */
  name: string;
  module: string;
  policyHint: 'read' | 'write' | 'destructive';
  inputSchema: Record<string, unknown>;
}

const PEOPLE: Array<{
  name: string;
  archetype: BuiltinArchetype;
  timezone: string;
  prompt: string;
  ask: string;
}> = [
  {
    name: 'Maya',
    archetype: 'adhd-student',
    timezone: 'Europe/Berlin',
    prompt:
      'You are Maya, a second-year student with ADHD. You jump between tasks, lose track of what you saved where, and give up on anything that takes more than a few clicks.',
    ask: 'Get one thing out of your head and into PRODUCT before you forget it again.',
  },
  {
    name: 'Victor',
    archetype: 'ceo-busy',
    timezone: 'America/New_York',
    prompt:
      'You are Victor, the CEO of a 200-person company. You have four minutes between meetings, you want the shortest path, and you judge a product by whether it wastes your time.',
    ask: 'Between two meetings, record the one decision you must not lose in PRODUCT.',
  },
  {
    name: 'Priya',
    archetype: 'solo-dev',
    timezone: 'Asia/Kolkata',
    prompt:
      'You are Priya, a solo developer who ships her own SaaS. You read error messages closely, try edge cases, and notice when a tool says one thing and does another.',
    ask: 'Save the bug you found this morning in PRODUCT so you can pick it up tomorrow.',
  },
  {
    name: 'Ines',
    archetype: 'researcher',
    timezone: 'UTC',
    prompt:
      'You are Ines, a researcher who keeps careful notes. You want what you save to be findable later, exactly as you wrote it, and you check that it is.',
    ask: 'File today’s finding in PRODUCT, worded so you can find it again next month.',
  },
  {
    name: 'Olu',
    archetype: 'overwhelmed-newbie',
    timezone: 'America/Sao_Paulo',
    prompt:
      'You are Olu, who just signed up and does not know the vocabulary yet. You try the first thing that looks right, and you are easily discouraged by errors you do not understand.',
    ask: 'Try to save your very first item in PRODUCT, whatever it turns out to be called.',
  },
];

const CREATE_LIKE = /create|add|new|save|insert|write|post|put|record|remember|store|set/i;
const READ_FIRST = /list|read|all|search|find|get|open|query/i;

/** A JSON Schema: somewhere in the value (any depth) a string contains `text` literally. */
export const containsText = (text: string) => ({
  $comment: 'somewhere in the result, at any depth, a string contains the text the goal saved',
  anyOf: [
    { type: 'string', pattern: text },
    { type: 'array', contains: { $ref: '#' } },
    { type: 'object', minProperties: 1, not: { additionalProperties: { not: { $ref: '#' } } } },
  ],
});

interface Pair {
  create: StarterTool;
  createArgs: Record<string, unknown>;
  read: StarterTool;
  readArgs: Record<string, unknown>;
}

/** The create-like tools whose arguments carry the text, each with a read-only tool to check it. */
function checkedPairs(tools: readonly StarterTool[], text: string): Pair[] {
  const reads = tools
    .filter((t) => t.policyHint === 'read')
    .map((t) => ({ t, args: sampleArguments(t.inputSchema, text) }))
    .filter((r) => r.args)
    // A read with nothing to fill (list everything) finds what was saved whatever the search rules.
    .sort(
      (a, b) =>
        Object.keys(a.args!).length - Object.keys(b.args!).length ||
        Number(READ_FIRST.test(b.t.name)) - Number(READ_FIRST.test(a.t.name)),
    );
  const read = reads[0];
  if (!read) return [];
  return tools
    .filter((t) => t.policyHint === 'write' && CREATE_LIKE.test(t.name.split('__').pop()!))
    .flatMap((create) => {
      const createArgs = sampleArguments(create.inputSchema, text);
      return createArgs && carries(createArgs, text)
        ? [{ create, createArgs, read: read.t, readArgs: read.args! }]
        : [];
    });
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'product';

/** The starter catalog for `product` (a products-file product name) and its exposed tools. */
export function starterCatalog(product: string, tools: readonly StarterTool[]) {
  const modules = [...new Set(tools.map((t) => t.module))].sort();
  if (!modules.length) modules.push(product);
  const weight = Math.floor((1 / modules.length) * 1000) / 1000;
  const moduleMix = Object.fromEntries(
    modules.map((m, i) => [
      m,
      i === modules.length - 1 ? +(1 - weight * (modules.length - 1)).toFixed(3) : weight,
    ]),
  );
  return {
    version: 1 as const,
    personas: PEOPLE.map((p) => {
      // The text the goal saves, unique to the persona and the tick: only this tick's write satisfies the check.
      const text = `${p.name} \${tick.started}`;
      // One create tool for all: the likeliest to stand alone (an `add_…` often needs a thing to add to).
      const pair = checkedPairs(tools, text).sort(
        (a, b) => Number(/create|new/i.test(b.create.name)) - Number(/create|new/i.test(a.create.name)),
      )[0];
      const ask = p.ask.replace('PRODUCT', product);
      const goal = pair
        ? {
            id: `first-save`,
            module: pair.create.module,
            ask,
            check: { tool: pair.read.name, arguments: pair.readArgs, expect: containsText(text) },
            scripted: [{ tool: pair.create.name, arguments: pair.createArgs }],
          }
        : { id: 'first-save', module: modules[0]!, ask };
      return {
        email: `${slug(p.name)}.${slug(product)}@personas.test`,
        displayName: p.name,
        archetype: p.archetype,
        systemPrompt: p.prompt,
        moduleMix,
        cadence: 'daily' as const,
        timezone: p.timezone,
        goals: [goal],
      };
    }),
  };
}
