import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { displayPath, parseJsonText } from '../config/json-text.ts';
import { entryProblems, entryWhere } from '../config/entry-problems.ts';
import { BUILTIN_ARCHETYPES, BUILTIN_MODULES, CADENCES } from '../../schema/vocabulary.ts';
import type { PersonaDefinition } from './upsert-persona.ts';
import { UsageError } from '../errors.ts';
import { goalProblems, goalSchema, type ToolLookup } from './goals.ts';

/** RFC 2606 / 6761 reserved names: mail to them can never reach anyone. */
const RESERVED_DOMAIN = /@([a-z0-9-]+\.)*(test|example|invalid|localhost)$|@example\.(com|net|org)$/i;

/**
 * A team's own kinds of users (archivist, field-nurse) are as welcome as the demo's: free text, short
 * and plain enough to be a search attribute and a file-safe word. Metrics collapse unknown ones to
 * `other` (activities/metrics.ts), so free text never grows a label set.
 */
const ARCHETYPE = /^[a-z0-9-]{1,40}$/;

/** The name Intl resolves `tz` to, or undefined when it is no time zone at all. */
function resolveTimezone(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * Intl matches time zone names case-insensitively, but Temporal Schedules (Go's tz database) do not:
 * "europe/berlin" or "utc" would seed fine and then fail `schedules sync` with "unknown time zone".
 * A name that differs from its resolved form only by case, or has no capital at all, is miscased.
 */
function miscasedTimezone(tz: string): boolean {
  const resolved = resolveTimezone(tz);
  if (!resolved || resolved === tz) return false;
  return tz.toLowerCase() === resolved.toLowerCase() || tz === tz.toLowerCase();
}

/** The persona schema for a set of served modules (the built-in ones, plus the products' — see lib/products). */
const personaSchemaFor = (modules: readonly string[], tools?: ToolLookup) =>
  z
    .strictObject({
      email: z.email({ error: 'expected an email address' }).refine((e) => RESERVED_DOMAIN.test(e), {
        error:
          'must be on a reserved non-routable domain such as @personas.test (RFC 2606), so no real person is ever mailed',
      }),
      displayName: z
        .string({ error: 'expected a string' })
        .trim()
        .min(1, { error: 'must not be empty' })
        .max(80),
      archetype: z.string({ error: 'expected a string' }).regex(ARCHETYPE, {
        error: `expected 1–40 of [a-z0-9-], e.g. field-nurse (these have scripted voices of their own: ${BUILTIN_ARCHETYPES.join(', ')})`,
      }),
      destructive: z.boolean({ error: 'expected true or false' }).optional(),
      systemPrompt: z
        .string({ error: 'expected a string' })
        .trim()
        .min(40, { error: 'must be at least 40 characters: give the persona a voice' })
        .max(8000, { error: 'must be at most 8000 characters' }),
      moduleMix: z
        .record(
          z.string(),
          z
            .number({ error: 'expected a number' })
            .min(0, { error: 'weights must be ≥ 0' })
            .max(1, { error: 'weights must be ≤ 1' }),
          {
            error: 'expected an object of module → weight',
          },
        )
        .superRefine((mix, ctx) => {
          const unknown = Object.keys(mix).filter((m) => !modules.includes(m));
          if (unknown.length)
            ctx.addIssue({
              code: 'custom',
              message: `unknown module(s) ${unknown.join(', ')}; modules are ${modules.join(', ')} (the ones the products serve: built-in, --products / PERSONA_PRODUCTS)`,
            });
          const sum = Object.values(mix).reduce((a, b) => a + b, 0);
          if (Math.abs(sum - 1) > 0.001)
            ctx.addIssue({ code: 'custom', message: `weights sum to ${+sum.toFixed(4)}, expected 1` });
        }),
      cadence: z.enum(CADENCES, { error: `expected one of ${CADENCES.join(', ')}` }),
      timezone: z
        .string({ error: 'expected an IANA timezone such as Europe/Berlin' })
        .refine((tz) => resolveTimezone(tz) !== undefined, {
          error: 'not an IANA timezone (e.g. Europe/Berlin, America/New_York, UTC)',
          abort: true,
        })
        .refine((tz) => !miscasedTimezone(tz), {
          error: (issue) =>
            `time zone names are case-sensitive for Temporal: write it as in the IANA database, e.g. ${resolveTimezone(issue.input as string)}`,
        }),
      goals: z.array(goalSchema, { error: 'expected a list of goals' }).max(20).default([]),
      goalsPerTick: z
        .number({ error: 'expected a whole number' })
        .int({ error: 'expected a whole number' })
        .min(1, { error: 'must be at least 1' })
        .optional(),
    })
    .superRefine((p, ctx) => {
      for (const { path, message } of goalProblems(p.goals, modules, tools))
        ctx.addIssue({ code: 'custom', message, path });
      if (p.goalsPerTick !== undefined && p.goalsPerTick > p.goals.length)
        ctx.addIssue({
          code: 'custom',
          path: ['goalsPerTick'],
          message: `${p.goalsPerTick} goals per tick, but the persona has ${p.goals.length}`,
        });
    });

const catalogSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, { error: 'expected version 1' }),
  personas: z
    .array(z.unknown(), { error: 'expected a list of personas' })
    .min(1, { error: 'the catalog has no personas' }),
});

/** Thrown when a catalog is invalid; every problem names the entry (index and email) and the field. */
export class CatalogError extends UsageError {
  override readonly code = 'CATALOG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** What a persona gets when its entry does not say (a products file's `personaDefaults`). */
export interface PersonaDefaults {
  destructive?: boolean;
}

export const DEFAULT_CATALOG = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../catalog.json',
);

/**
 * Parses catalog text; throws CatalogError listing every problem. `modules`: the modules the configured
 * products serve (default: the built-in product's); `tools`: the built-in tools, to refuse a goal check
 * through a tool that is not read-only.
 */
export function parseCatalog(
  text: string,
  file = 'catalog.json',
  modules: readonly string[] = BUILTIN_MODULES,
  tools?: ToolLookup,
  defaults: PersonaDefaults = {},
): PersonaDefinition[] {
  const personaSchema = personaSchemaFor(modules, tools);
  const parsedJson = parseJsonText(text, file);
  if (!parsedJson.ok) throw new CatalogError(file, parsedJson.problems);
  const json = parsedJson.value;
  const top = catalogSchema.safeParse(json);
  if (!top.success) {
    throw new CatalogError(
      file,
      top.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`),
    );
  }
  const problems: string[] = [];
  const personas: PersonaDefinition[] = [];
  const seen = new Map<string, number>();
  top.data.personas.forEach((raw, index) => {
    const where = entryWhere('personas', index, raw, 'email');
    const parsed = personaSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...entryProblems(where, parsed.error));
      return;
    }
    const key = parsed.data.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${where}: email: duplicate of personas[${first}]`);
      return;
    }
    seen.set(key, index);
    // Seeding makes the account say what the catalog says: absent everywhere → not opted in.
    const destructive = parsed.data.destructive ?? defaults.destructive ?? false;
    personas.push({ ...parsed.data, email: key, destructive });
  });
  if (problems.length) throw new CatalogError(file, problems);
  return personas;
}

export async function loadCatalog(
  file = DEFAULT_CATALOG,
  modules: readonly string[] = BUILTIN_MODULES,
  tools?: ToolLookup,
  defaults: PersonaDefaults = {},
): Promise<PersonaDefinition[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new CatalogError(file, [
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
  return parseCatalog(text, displayPath(file), modules, tools, defaults);
}
