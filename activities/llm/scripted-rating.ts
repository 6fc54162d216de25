// How the offline persona rates a module: from what it lived through in it — errors, empty answers
// and slowness lower a rating, as they would a person's. It reads the conversation when the rating
// turn carries it (tool results, with latency notes when the product was slow), else the per-module
// counts of the rating prompt. Deterministic: the small "mood" term is seeded by the persona, the
// module and that experience, so the same day rated twice gets the same stars.
import { taggedErrorClass } from '../error-tag.ts';
import { RATE_MODULES_MARKER } from '../prompts.ts';
import { scriptedGoalReports } from './scripted-goals.ts';
import { textOf } from './scripted-memory.ts';
import { SeededRandom } from './seeded-random.ts';
import type { LlmRequest, MessageParam } from './types.ts';

export interface ModuleExperience {
  calls: number;
  errors: number;
  /** Successful calls that answered nothing (an empty list, no match). */
  empty: number;
  /** Calls slow enough for a person to notice. */
  slow: number;
}

/** A person notices a tool that takes longer than this. */
export const SLOW_MS = 1000;

const BUILTIN_PREFIX: Record<string, string> = {
  habit: 'habits',
  todo: 'todos',
  note: 'notes',
  journal: 'journal',
};

function moduleOf(tool: string, toolModules: Record<string, string>): string | undefined {
  return (
    toolModules[tool] ??
    BUILTIN_PREFIX[tool.split('_')[0]!] ??
    (tool.includes('__') ? tool.split('__')[0] : undefined)
  );
}

/** A latency the tool result mentions ("took 2300 ms", "latency: 2.3 s"), in ms. */
export function mentionedLatencyMs(text: string): number | undefined {
  const m = /(?:took|latency|slow)\D{0,20}?(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
}

/** An answer with nothing in it: every list empty, or a "no results" sentence. */
export function isEmptyAnswer(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v)) return v.length === 0;
    if (v && typeof v === 'object') {
      const lists = Object.values(v).filter(Array.isArray);
      return lists.length > 0 && lists.every((l) => l.length === 0);
    }
  } catch {
    // not JSON: look at the words
  }
  return /^\s*(no (results|matches|entries|items)|nothing found)\b/i.test(text);
}

/** Per module, what the persona lived through: from the conversation's tool results. */
export function experienceFromConversation(messages: MessageParam[], toolModules: Record<string, string>) {
  const useById = new Map<string, { name: string; asks: boolean }>();
  const out: Record<string, ModuleExperience> = {};
  // Modules where the persona has asked for or made something (a call with input) that answered.
  const engaged = new Set<string>();
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type === 'tool_use')
        useById.set(b.id, { name: b.name, asks: Object.keys((b.input ?? {}) as object).length > 0 });
      if (b.type !== 'tool_result') continue;
      const use = useById.get(b.tool_use_id);
      const module = moduleOf(use?.name ?? '', toolModules);
      if (!module) continue;
      const e = (out[module] ??= { calls: 0, errors: 0, empty: 0, slow: 0 });
      const text = textOf(b.content);
      e.calls++;
      // The product's failures count against it, by the class the gateway gave them (whatever words a
      // federated product used); the persona's own slips (a field it left out) and policy denials do
      // not — people blame an app for what it did, not for their typos. An untagged failure is the
      // product's, as the worker classes a result that carries no class.
      if (b.is_error) {
        const errorClass = taggedErrorClass(text) ?? 'product';
        if (errorClass === 'product' || errorClass === 'infra') e.errors++;
      } else if (isEmptyAnswer(text)) {
        // A first look at everything (no input) that finds nothing says the space is new, not that
        // the product let the persona down; once it has asked for or made something, nothing is a letdown.
        if (use?.asks || engaged.has(module)) e.empty++;
      }
      if (!b.is_error && use?.asks) engaged.add(module);
      if ((mentionedLatencyMs(text) ?? 0) >= SLOW_MS) e.slow++;
    }
  }
  return out;
}

/** Per module, from the rating prompt's lines (`- todos: 4 calls, 1 error (…)`). */
export function experienceFromPrompt(prompt: string, modules: string[]): Record<string, ModuleExperience> {
  return Object.fromEntries(
    modules.map((m) => {
      const line = new RegExp(`${m}: (\\d+) calls?, (\\d+) errors?`).exec(prompt);
      return [m, { calls: Number(line?.[1] ?? 0), errors: Number(line?.[2] ?? 0), empty: 0, slow: 0 }];
    }),
  );
}

/**
 * Stars from an experience: 5, minus what went wrong, minus now and then a mood. A failed action
 * costs two stars and caps the module at two (something the person set out to do did not happen — a
 * bigger letdown than a bad mood), an empty answer or slowness one or two.
 */
export function starsFor(e: ModuleExperience, mood: SeededRandom): number {
  const errors = Math.min(4, 2 * e.errors);
  const empty = e.calls && e.empty * 2 >= e.calls ? 1 : 0;
  const slow = e.slow ? (e.slow * 2 >= e.calls ? 2 : 1) : 0;
  const stars = Math.max(1, Math.min(5, 5 - errors - empty - slow - (mood.chance(0.4) ? 1 : 0)));
  // An action that failed outright is a letdown whatever else went well: two stars at most.
  return e.errors ? Math.min(2, stars) : stars;
}

function notesFor(module: string, e: ModuleExperience): string {
  const gripes = [
    ...(e.errors ? [`${e.errors} error(s)`] : []),
    ...(e.empty ? [`${e.empty} empty answer(s)`] : []),
    ...(e.slow ? [`${e.slow} slow call(s)`] : []),
  ];
  return gripes.length ? `${module} gave me ${gripes.join(', ')}; annoying.` : `${module} did what I needed.`;
}

/** The scripted rating answer: strict JSON keyed by the modules the rating prompt asks for. */
export function scriptedRatings(req: LlmRequest, seed: string): string {
  const last = req.messages.at(-1);
  const prompt = typeof last?.content === 'string' ? last.content : textOf(last?.content);
  const line = prompt.split('\n').find((l) => l.startsWith(RATE_MODULES_MARKER)) ?? '';
  const modules = line
    .slice(RATE_MODULES_MARKER.length)
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const lived = experienceFromConversation(req.messages, req.persona.toolModules);
  const counted = experienceFromPrompt(prompt, modules);
  const ratings: Record<string, { rating: number; notes: string }> = {};
  for (const module of modules) {
    const e = lived[module] ?? counted[module]!;
    const mood = new SeededRandom(`${seed}:${req.persona.personaId}:${module}:${JSON.stringify(e)}`);
    ratings[module] = { rating: starsFor(e, mood), notes: notesFor(module, e) };
  }
  const goals = scriptedGoalReports(req);
  return JSON.stringify(goals ? { ...ratings, goals } : ratings);
}
