import type { z } from 'zod';

/** One line per problem, each starting with the field's path, so a model can fix its call. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${issue.path.join('.')}.` : '';
        return issue.keys
          .map((k) => `${where}${k}: unknown field (not in the tool's input schema)`)
          .join('; ');
      }
      const field = issue.path.length ? issue.path.join('.') : '(arguments)';
      // zod reports a missing required field as "expected X, received undefined"; say it plainly.
      const missing = issue.code === 'invalid_type' && issue.input === undefined;
      return `${field}: ${missing ? 'required field is missing' : issue.message}`;
    })
    .join('; ');
}
