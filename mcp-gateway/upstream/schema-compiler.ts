import { Ajv, type ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';

// Upstream schemas are the upstream's text, compiled into code that runs on every call: what may be
// compiled is bounded, and their regexes run on RE2 (re2js: linear time in the input, pure JS), so no
// `pattern` can hold the event loop — `^(a|a)*$` against "aaaa…ab" takes as long as reading the string.

/** A compiled schema, or why it could not be compiled (its values then go unchecked). */
export type Validator = ValidateFunction | string;

/** Longer patterns are not compiled (not checked): no honest schema needs one. */
const MAX_PATTERN_LENGTH = 4096;

export interface CompiledSchema {
  validator: Validator;
  /** Patterns of the schema that are not checked, with why. */
  dropped: string[];
}

/**
 * Compiles the schemas of one upstream listing. One ajv per listing, so what a listing compiles
 * (ajv keeps every pattern and schema it has seen) goes with it when the listing is replaced.
 * `strict: false` because third-party schemas carry keywords ajv does not know; formats are not
 * checked (the upstream checks its own formats).
 */
export class SchemaCompiler {
  private readonly ajv: Ajv;
  private dropped: string[] = [];

  constructor() {
    const regExp = Object.assign((pattern: string) => this.pattern(pattern), { code: 're2js' });
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, code: { regExp } });
  }

  private pattern(pattern: string): { test(s: string): boolean } {
    if (pattern.length > MAX_PATTERN_LENGTH) {
      this.dropped.push(`a pattern of ${pattern.length} characters (longer than ${MAX_PATTERN_LENGTH})`);
      return keyed({ test: unchecked }, pattern);
    }
    try {
      const re = RE2JS.compile(RE2JS.translateRegExp(pattern));
      return keyed({ test: (s: string) => re.test(s) }, pattern);
    } catch (err) {
      this.dropped.push(`pattern ${JSON.stringify(pattern.slice(0, 80))} (${(err as Error).message})`);
      return keyed({ test: unchecked }, pattern);
    }
  }

  compile(schema: object): CompiledSchema {
    this.dropped = [];
    let validator: Validator;
    try {
      validator = this.ajv.compile(schema);
    } catch (err) {
      validator = (err as Error).message;
    } finally {
      // Compiled functions keep working; two tools whose schemas share an $id must not collide.
      this.ajv.removeSchema(schema);
    }
    return { validator, dropped: this.dropped };
  }
}

/** Stands in for a pattern RE2 cannot run (lookaround, backreferences): the pattern is not checked. */
const unchecked = () => true;

/** ajv shares a compiled pattern by its string form: one per pattern, not one for all. */
function keyed<T extends object>(tester: T, pattern: string): T {
  return Object.assign(tester, { toString: () => `re2:${pattern}` });
}
