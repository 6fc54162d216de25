import { z } from 'zod';

const entry = z.union([
  z.strictObject({
    rating: z.number().int().min(1).max(5),
    notes: z.string().max(2000).optional(),
  }),
  // Tolerated shorthand: "todos": 4
  z
    .number()
    .int()
    .min(1)
    .max(5)
    .transform((rating) => ({ rating, notes: undefined })),
]);
const ratingsSchema = z.record(z.string(), entry);
const goalReports = z.record(
  z.string(),
  z.strictObject({ achieved: z.boolean(), why: z.string().max(2000).default('') }),
);

export type ParsedRatings =
  | {
      kind: 'ok';
      ratings: Record<string, { rating: number; notes: string | undefined }>;
      missing: string[];
      /** The persona's word on its self-reported goals (only the goals asked about). */
      goals: Record<string, { achieved: boolean; why: string }>;
    }
  | { kind: 'unparseable'; reason: string };

/** Strips Markdown code fences and surrounding whitespace or prose around one JSON object. */
function extractJson(text: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  if (body.startsWith('{')) return body;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : body;
}

/**
 * Parses the rating turn's answer: strict JSON keyed by module id, validated with zod, tolerant of
 * code fences and whitespace. Modules that were used but not rated are reported as `missing`.
 */
export function parseRatings(
  text: string,
  modules: readonly string[],
  goalIds: readonly string[] = [],
): ParsedRatings {
  let json: unknown;
  try {
    json = JSON.parse(extractJson(text));
  } catch (err) {
    return { kind: 'unparseable', reason: `not JSON: ${(err as Error).message}` };
  }
  // `goals` is the persona's word on its goals, not a module (a module cannot be named so).
  const isObject = !!json && typeof json === 'object' && !Array.isArray(json);
  const { goals: rawGoals, ...rest } = isObject ? (json as Record<string, unknown>) : {};
  const reported = goalReports.safeParse(rawGoals ?? {});
  const goals = reported.success
    ? Object.fromEntries(Object.entries(reported.data).filter(([g]) => goalIds.includes(g)))
    : {};
  const parsed = ratingsSchema.safeParse(isObject ? rest : json);
  if (!parsed.success) {
    return {
      kind: 'unparseable',
      reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    };
  }
  const ratings = Object.fromEntries(
    Object.entries(parsed.data)
      .filter(([m]) => modules.includes(m))
      .map(([m, r]) => [m, { rating: r.rating, notes: r.notes }]),
  );
  return { kind: 'ok', ratings, missing: modules.filter((m) => !(m in ratings)), goals };
}
