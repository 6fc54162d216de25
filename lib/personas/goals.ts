// Goals: what a persona sets out to do in a tick, and how the product's end state is checked for it
// (README "Goals"). The catalog's schema for them, the placeholders their arguments and expectations
// may use, which goals a tick gets, and how a check's result is judged against `expect`.
import { createHash } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { z } from 'zod';
import type { StoredGoal } from '../../schema/personas.ts';

export type Goal = StoredGoal;

const argumentsSchema = z.record(z.string(), z.unknown(), { error: 'expected an object of arguments' });

const call = z.strictObject({
  tool: z.string({ error: 'expected a tool name' }).min(1, { error: 'must not be empty' }),
  arguments: argumentsSchema.default({}),
});

export const goalSchema = z.strictObject({
  id: z.string({ error: 'expected a string' }).regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    error: '1–40 of a-z, 0-9, - and _, starting with a letter or digit',
  }),
  module: z.string({ error: 'expected a module id' }).min(1),
  ask: z
    .string({ error: 'expected a string' })
    .trim()
    .min(5, { error: 'must say what the persona sets out to do' })
    .max(500, { error: 'must be at most 500 characters' }),
  check: call
    .extend({ expect: z.record(z.string(), z.unknown(), { error: 'expected a JSON Schema object' }) })
    .optional(),
  scripted: z.array(call, { error: 'expected a list of { tool, arguments }' }).max(10).optional(),
});

/**
 * The placeholders a goal's ask, arguments and expectations may use: the persona's today and tomorrow
 * (YYYY-MM-DD in its time zone), its email, and when the tick started (ISO 8601) — for an expectation
 * that only something made during this tick counts (`"formatMinimum": "${tick.started}"`).
 */
export const GOAL_PLACEHOLDERS = ['today', 'tomorrow', 'persona.email', 'tick.started'] as const;
const PLACEHOLDER = /\$\{([^}]*)\}/g;

export interface GoalContext {
  timezone: string;
  email: string;
  now: Date;
  /** When the tick started; `now` when not given. */
  tickStarted?: Date;
}

/** YYYY-MM-DD of `at` in `timezone`. */
function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function placeholderValues(ctx: GoalContext): Record<(typeof GOAL_PLACEHOLDERS)[number], string> {
  const today = localDate(ctx.now, ctx.timezone);
  // Tomorrow in the persona's calendar: noon of its today plus a day never crosses two dates.
  const noon = new Date(`${today}T12:00:00Z`);
  return {
    today,
    tomorrow: new Date(noon.getTime() + 86_400_000).toISOString().slice(0, 10),
    'persona.email': ctx.email,
    'tick.started': (ctx.tickStarted ?? ctx.now).toISOString(),
  };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `value` with every placeholder replaced, recursively through objects and arrays. Inside a JSON
 * Schema `pattern` the value is regex-escaped, so `${persona.email}` matches the address literally.
 */
export function expandPlaceholders<T>(value: T, ctx: GoalContext): T {
  const values = placeholderValues(ctx);
  const walk = (v: unknown, inPattern: boolean): unknown => {
    if (typeof v === 'string')
      return v.replace(PLACEHOLDER, (whole, name: string) => {
        const got = values[name as keyof typeof values];
        if (got === undefined) return whole;
        return inPattern ? escapeRegex(got) : got;
      });
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k === 'pattern')]));
    return v;
  };
  return walk(value, false) as T;
}

/** Placeholders in `value` that are not GOAL_PLACEHOLDERS (`${yesterday}`), each once. */
export function unknownPlaceholders(value: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) found.add(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return [...found]
    .filter((p) => !(GOAL_PLACEHOLDERS as readonly string[]).includes(p))
    .map((p) => `\${${p}}`);
}

// One compiler for catalog expectations (module-level: compiled schemas are cached by ajv itself).
// Of the formats, the dates: `format: date-time` with `formatMinimum` says "made during this tick".
const ajv = new Ajv({ strict: false, allErrors: false });
// ajv-formats is CommonJS: under Node's ESM interop its default export is the module object.
const addFormats =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ??
  (formatsModule as unknown as FormatsPlugin);
addFormats(ajv, { formats: ['date', 'date-time', 'time'], keywords: true });

/** Compiles `expect`; the problem as one line when it is not a valid JSON Schema. */
export function compileExpect(expect: Record<string, unknown>): {
  validate?: ValidateFunction;
  problem?: string;
} {
  try {
    return { validate: ajv.compile(expect) };
  } catch (err) {
    return { problem: `not a valid JSON Schema (${(err as Error).message})` };
  }
}

/** Whether a check's structured result satisfies `expect`; the first reason when it does not. */
export function judgeExpect(
  expect: Record<string, unknown>,
  result: unknown,
): { achieved: boolean; reason?: string } {
  const { validate, problem } = compileExpect(expect);
  if (!validate) return { achieved: false, reason: problem };
  if (validate(result)) return { achieved: true };
  const e = validate.errors?.[0];
  return {
    achieved: false,
    reason: e ? `${e.instancePath || '(result)'} ${e.message ?? 'does not match'}` : 'does not match',
  };
}

/**
 * The goals of one tick: all of them, or `perTick` of them sampled by the seed (a campaign's trial
 * seed, so a baseline and a candidate give a persona the same goals in the same trial), in catalog
 * order.
 */
export function goalsForTick<G extends { id: string }>(
  goals: readonly G[],
  perTick: number | null,
  seed: string,
): G[] {
  if (perTick === null || perTick >= goals.length) return [...goals];
  const score = (g: G) => createHash('sha256').update(`${seed}:${g.id}`).digest().readUInt32BE(0);
  const chosen = new Set(
    [...goals]
      .sort((a, b) => score(a) - score(b))
      .slice(0, perTick)
      .map((g) => g.id),
  );
  return goals.filter((g) => chosen.has(g.id));
}

/**
 * The `_meta` key a goal check's call carries: the gateway answers it only for a tool that only reads
 * (a built-in `read` tool, an upstream tool annotated `readOnlyHint`), in every POLICY_MODE.
 */
export const GOAL_CHECK_META = 'persona-runner/goal-check';

/** What a catalog check needs to know of a tool: whether it only reads (MCP `readOnlyHint`). */
export type ToolLookup = (name: string) => { readOnly: boolean } | undefined;

/**
 * Problems of one persona's goals that their schema cannot see, each at its field (`goals[2] (plumber)`,
 * `check.tool`): ids used twice, modules the products do not serve, placeholders that do not exist,
 * expectations that are no JSON Schema, and checks through a tool that is not read-only (built-in
 * tools are known here; a federated `<product>__<tool>` is refused by the gateway at check time).
 */
export function goalProblems(
  goals: readonly Goal[],
  modules: readonly string[],
  tools?: ToolLookup,
): Array<{ path: string[]; message: string }> {
  const problems: Array<{ path: string[]; message: string }> = [];
  const ids = new Set<string>();
  goals.forEach((g, i) => {
    const at = (field: string, message: string) =>
      problems.push({ path: [`goals[${i}] (${g.id})`, field], message });
    if (ids.has(g.id)) at('id', 'used by another goal of this persona');
    ids.add(g.id);
    if (!modules.includes(g.module))
      at('module', `unknown module ${g.module}; modules are ${modules.join(', ')}`);
    for (const [field, value] of [
      ['ask', g.ask],
      ['check', g.check],
      ['scripted', g.scripted],
    ] as const)
      for (const p of unknownPlaceholders(value))
        at(
          field,
          `unknown placeholder ${p}; placeholders are ${GOAL_PLACEHOLDERS.map((x) => `\${${x}}`).join(', ')}`,
        );
    if (!g.check) return;
    // Compiled as a tick will see it: a placeholder inside a `pattern` is regex-escaped there, and
    // `${today}` unexpanded is no valid regex ("lone quantifier brackets").
    const compiled = compileExpect(
      expandPlaceholders(g.check.expect, { timezone: 'UTC', email: 'check@personas.test', now: new Date() }),
    );
    if (compiled.problem) at('check.expect', compiled.problem);
    if (!tools || g.check.tool.includes('__')) return;
    const tool = tools(g.check.tool);
    if (!tool) at('check.tool', `unknown tool ${g.check.tool}`);
    else if (!tool.readOnly)
      at(
        'check.tool',
        `${g.check.tool} is not read-only (readOnlyHint): a check must not change the product`,
      );
  });
  return problems;
}
