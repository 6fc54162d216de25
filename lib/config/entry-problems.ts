// Config files that hold a list of entries (the persona catalog, the products file) report each
// problem as `<list>[i] (<name>): <field>: <what>`, so a user finds the entry and the field at once.
import type { z } from 'zod';
import './zod-words.ts';

/** `personas[3] (maya@…)`: where an entry sits, named by its `key` field when it has a string one. */
export function entryWhere(list: string, index: number, raw: unknown, key: string): string {
  const label = (raw as Record<string, unknown> | null)?.[key];
  return `${list}[${index}] (${typeof label === 'string' ? label : '?'})`;
}

/** One line per issue of an entry that failed its schema: the field (or the unknown ones) and what is wrong. */
export function entryProblems(where: string, error: z.ZodError): string[] {
  return error.issues.map((i) => {
    // A nested object's unknown keys are named with their path (`errors.infra`), as other fields are.
    const field =
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => [...i.path, k].join('.')).join(', ')
        : i.path.join('.') || '(entry)';
    return `${where}: ${field}: ${i.code === 'unrecognized_keys' ? 'unknown field' : i.message}`;
  });
}
