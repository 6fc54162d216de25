import { z } from 'zod';
import type { $ZodRawIssue } from 'zod/v4/core';

// zod's default messages ("Too big: expected number to be <=1") leak its vocabulary into what our
// users read. This error map words every issue a schema does not word itself the way our own
// messages do ("must be at most 1"). It is process-wide (zod's config is global), installed by
// importing this module: lib/config/env.ts and lib/config/entry-problems.ts do, so every
// environment, catalog and products check uses it.

type Issue = $ZodRawIssue;

const unitOf = (origin: unknown, n: number | bigint) =>
  origin === 'string'
    ? ` character${n === 1 ? '' : 's'}`
    : origin === 'array' || origin === 'set'
      ? ` entr${n === 1 ? 'y' : 'ies'}`
      : '';

const article = (what: string) => (/^[aeiou]/.test(what) ? `an ${what}` : `a ${what}`);

function words(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big': {
      const max = issue.maximum as number;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}${unitOf(issue.origin, max)}`;
    }
    case 'too_small': {
      const min = issue.minimum as number;
      if (issue.origin === 'string' && min === 1 && issue.inclusive) return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${min}${unitOf(issue.origin, min)}`;
    }
    case 'invalid_type': {
      if (issue.input === undefined) return `missing: expected ${article(issue.expected)}`;
      const got = Array.isArray(issue.input) ? 'a list' : typeof issue.input;
      // A coerced value that failed (Number("abc") is NaN, a number) has no useful "got".
      return got === issue.expected
        ? `expected ${article(issue.expected)}`
        : `expected ${article(issue.expected)}, got ${got}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length > 1 ? 'one of ' : ''}${issue.values.map((v: unknown) => JSON.stringify(v)).join(' | ')}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'expected a URL'
        : issue.format === 'email'
          ? 'expected an email address'
          : `expected ${article(issue.format)}${issue.format === 'regex' ? ' match' : ''}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

z.config({ customError: words });
