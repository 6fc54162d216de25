// What the offline persona does next in a product it may never have seen: first it looks (reads that
// need nothing filled in), then it makes things and reads them back, changing what exists now and
// then — each call filled from what the product showed it (scripted-inputs.ts). A tool it cannot
// fill sensibly yet (a read of a file it has not written) is passed over for one it can.
import type { ClaudeTool, LlmRequest } from './types.ts';
import { buildArguments, type JsonSchema } from './scripted-inputs.ts';
import { memoryFor, type DayMemory, type ProductMemory } from './scripted-memory.ts';
import { toolKind, type ToolKind } from './scripted-tool-kind.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface Candidate {
  name: string;
  module: string;
  kind: ToolKind;
  schema: JsonSchema;
}

export interface PlannedCall {
  name: string;
  input: Record<string, unknown>;
}

/** The tools of the persona's modules it would use at all (never deleting, never admin). */
export function candidatesFor(req: LlmRequest): Candidate[] {
  const { moduleMix, toolModules, toolHints = {} } = req.persona;
  return (req.tools ?? []).flatMap((t: ClaudeTool) => {
    const module = toolModules[t.name];
    if (!module || !((moduleMix[module] ?? 0) > 0) || /delete|admin/.test(t.name)) return [];
    return [
      {
        name: t.name,
        module,
        kind: toolKind(t.name, toolHints[t.name]),
        schema: t.input_schema as JsonSchema,
      },
    ];
  });
}

const needsNothing = (c: Candidate) => c.kind === 'read' && !(c.schema.required ?? []).length;

/** Whether the day starts with a look around: some module of the mix has a read that needs no input. */
export function startsWithALook(candidates: Candidate[]): boolean {
  return candidates.some(needsNothing);
}

/**
 * The first look: per module (heaviest first), one read that needs nothing filled in and has not
 * been made yet — `list_allowed_directories`, `read_graph`, `todo_list`. At most two.
 */
export function firstLooks(candidates: Candidate[], day: DayMemory, mix: Record<string, number>) {
  const modules = [...new Set(candidates.map((c) => c.module))].sort((a, b) => (mix[b] ?? 0) - (mix[a] ?? 0));
  return modules
    .flatMap((m) => {
      const look = candidates.find(
        (c) => c.module === m && needsNothing(c) && !memoryFor(day, c.name).calls[c.name],
      );
      return look ? [{ name: look.name, input: {} }] : [];
    })
    .slice(0, 2);
}

/** How much the persona wants a tool now: new reads and creates over repeats and changes. */
function appetite(c: Candidate, memory: ProductMemory): number {
  if (c.kind === 'create') return 3;
  if (c.kind === 'change') return 1.5;
  return memory.calls[c.name] ? 1 : 3;
}

/** What it made today that no read has shown it since. */
const unread = (memory: ProductMemory) =>
  [...memory.createdFiles, ...memory.createdNames].filter((x) => !memory.readBack.has(x));

type Fill = { rnd: SeededRandom; archetype: string; today: string };

/** A read that shows back something it made (a file it wrote, an entity it named), if one can. */
function readBack(candidates: Candidate[], memory: ProductMemory, fill: Fill): PlannedCall | undefined {
  const made = unread(memory);
  const reads = candidates.filter((c) => c.kind === 'read' && (c.schema.required ?? []).length);
  for (const c of fill.rnd.shuffle(reads)) {
    const input = buildArguments(c.schema, { ...fill, memory, tool: c.name, kind: c.kind });
    if (input && made.some((m) => JSON.stringify(input).includes(JSON.stringify(m))))
      return { name: c.name, input };
  }
  return undefined;
}

/**
 * The next call: a module by the persona's mix; reading back what it made there, more often than
 * not; else a tool of it that it wants and can fill.
 */
export function planCall(
  candidates: Candidate[],
  mix: Record<string, number>,
  day: DayMemory,
  fill: Fill,
): PlannedCall | undefined {
  const { rnd } = fill;
  for (let attempt = 0; attempt < 6; attempt++) {
    const module = rnd.weighted(mix);
    const inModule = candidates.filter((c) => c.module === module);
    if (!inModule.length) continue;
    // A module is part of one product: what that product showed the persona.
    const memory = memoryFor(day, inModule[0]!.name);
    const back = unread(memory).length && rnd.chance(0.6) ? readBack(inModule, memory, fill) : undefined;
    if (back) return back;
    const pool = new Map(inModule.map((c) => [c.name, c]));
    while (pool.size) {
      const weights = Object.fromEntries([...pool.values()].map((c) => [c.name, appetite(c, memory)]));
      const c = pool.get(rnd.weighted(weights)!)!;
      pool.delete(c.name);
      const input = buildArguments(c.schema, { ...fill, memory, tool: c.name, kind: c.kind });
      if (input) return { name: c.name, input };
    }
  }
  return undefined;
}
