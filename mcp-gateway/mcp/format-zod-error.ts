import type { z } from 'zod';

/** The value at `path` inside `input`, or undefined when any step of the path is absent. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * One line per problem, each starting with the field's path, so a model can fix its call.
 * `input` is the value that was parsed: zod 4 leaves the offending value off its issues (unless
 * parsing with `reportInput`), so a missing field is told apart from a wrong-typed one by looking
 * the path up in the input.
 */
export function formatZodError(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${issue.path.join('.')}.` : '';
        return issue.keys
          .map((k) => `${where}${k}: unknown field (not in the tool's input schema)`)
          .join('; ');
      }
      const field = issue.path.length ? issue.path.join('.') : '(arguments)';
      if (issue.code !== 'invalid_type') return `${field}: ${issue.message}`;
      const value = valueAt(input, issue.path);
      // zod reports a missing required field as a type error; say it plainly.
      if (value === undefined) return `${field}: required field is missing`;
      // A failed .int() is also a type error (expected "int"); "received number" would only confuse.
      const received = issue.expected === 'int' ? '' : ` (received ${kindOf(value)})`;
      return `${field}: ${issue.message}${received}`;
    })
    .join('; ');
}
