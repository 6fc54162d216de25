import { RE2JS } from 're2js';
import { z } from 'zod';

// A product's `"errors"`: which of its error messages are the persona's slip (a file it never wrote,
// an id it made up) rather than the product failing. Upstreams word their errors as they like, so
// the team that knows the product says which wording means what. The rules run on text an upstream
// chose, on every failed call: they run on RE2 (re2js, already the gateway's engine for upstream
// schema patterns), whose matching is linear in the input — no rule can backtrack catastrophically,
// so there is nothing to detect heuristically (as safe-regex2 would) and nothing to time out.

/** The sides a rule can put an upstream error on (the rest — policy, infra — the gateway decides). */
export const RULE_CLASSES = ['persona', 'product'] as const;
export type RuleClass = (typeof RULE_CLASSES)[number];

/** Longer rules are refused at load: no honest error wording needs one. */
export const MAX_RULE_LENGTH = 200;
export const MAX_RULES = 50;
/** Only this much of an error's text is matched: enough for any message's wording, bounded work. */
export const MATCHED_CHARS = 4096;

export const errorRulesSchema = z
  .strictObject({
    persona: z.array(z.string().min(1).max(MAX_RULE_LENGTH)).max(MAX_RULES).optional(),
    product: z.array(z.string().min(1).max(MAX_RULE_LENGTH)).max(MAX_RULES).optional(),
  })
  .optional();
export type ErrorRulesConfig = z.infer<typeof errorRulesSchema>;

export interface ErrorRule {
  /** Where the rule is written, e.g. `errors.persona[0]`: recorded with the action it classed. */
  id: string;
  errorClass: RuleClass;
  pattern: string;
  regex: RE2JS;
}

/**
 * The rules in the order the products file writes them (a JSON object keeps its keys' order): the
 * first list written is tried first, so `product` exceptions can precede broad `persona` rules (or
 * the other way round). Each rule's problem (a pattern RE2 cannot run: backreferences, lookaround,
 * bad syntax) is returned with the rule's place.
 */
export function compileErrorRules(
  config: ErrorRulesConfig,
  keyOrder: readonly string[] = RULE_CLASSES,
): { rules: ErrorRule[]; problems: string[] } {
  const rules: ErrorRule[] = [];
  const problems: string[] = [];
  if (!config) return { rules, problems };
  const order = [...keyOrder, ...RULE_CLASSES].filter(
    (k, i, all): k is RuleClass => (RULE_CLASSES as readonly string[]).includes(k) && all.indexOf(k) === i,
  );
  for (const errorClass of order)
    (config[errorClass] ?? []).forEach((pattern, i) => {
      const id = `errors.${errorClass}[${i}]`;
      try {
        rules.push({ id, errorClass, pattern, regex: RE2JS.compile(RE2JS.translateRegExp(pattern)) });
      } catch (err) {
        problems.push(
          `${id}: ${JSON.stringify(pattern)} is not a regex RE2 can run (${(err as Error).message})`,
        );
      }
    });
  return { rules, problems };
}

/** The first rule whose pattern occurs in `text` (searched, not anchored: use `^` to anchor). */
export function matchErrorRule(rules: readonly ErrorRule[], text: string): ErrorRule | undefined {
  const head = text.slice(0, MATCHED_CHARS);
  return rules.find((r) => r.regex.test(head));
}
