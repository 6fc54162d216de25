// Arguments for a tool from its JSON Schema, for the goals `personas init` writes: the required fields
// only, each string that takes free text carrying `text` (so a check can find what the call saved),
// dates and emails as placeholders the tick fills in. Not a general schema sampler: what it cannot
// fill (a pattern, a $ref it does not follow) makes it give up, and init writes a self-reported goal.

type Schema = Record<string, unknown>;

/** Thrown inside when a schema asks for something this sampler does not make up. */
class Unfillable extends Error {}

const FORMAT_VALUES: Record<string, string> = {
  date: '${today}',
  'date-time': '${tick.started}',
  email: '${persona.email}',
  uri: 'https://example.com/',
  url: 'https://example.com/',
};

function sample(s: Schema, text: string, depth: number): unknown {
  if (depth > 6) throw new Unfillable('too deep');
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if (Array.isArray(s.anyOf ?? s.oneOf))
    return sample(((s.anyOf ?? s.oneOf) as Schema[])[0]!, text, depth + 1);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string': {
      const format = typeof s.format === 'string' ? FORMAT_VALUES[s.format] : undefined;
      if (format) return format;
      if (s.format || s.pattern) throw new Unfillable('a formatted string');
      return text;
    }
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return false;
    case 'array': {
      const item = sample((s.items as Schema | undefined) ?? { type: 'string' }, text, depth + 1);
      return Array.from({ length: Math.max(1, Number(s.minItems ?? 1)) }, () => item);
    }
    case 'object':
    case undefined: {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(
        required.map((k) => {
          if (!props[k]) throw new Unfillable(`required ${k} has no schema`);
          return [k, sample(props[k], text, depth + 1)];
        }),
      );
    }
    default:
      throw new Unfillable(`type ${String(type)}`);
  }
}

/** The required arguments of a tool's input schema, or undefined when they cannot be made up. */
export function sampleArguments(inputSchema: Schema, text: string): Record<string, unknown> | undefined {
  try {
    const v = sample(inputSchema, text, 0);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch (err) {
    if (err instanceof Unfillable) return undefined;
    throw err;
  }
}

/** Whether the sampled arguments put `text` somewhere (a check can then find it in the product). */
export const carries = (args: unknown, text: string): boolean =>
  JSON.stringify(args).includes(JSON.stringify(text).slice(1, -1));
