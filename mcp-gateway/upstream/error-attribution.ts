import { matchErrorRule, type ErrorRule, type RuleClass } from '../../lib/products/error-rules.ts';

/** Which side an upstream's error is on, and the rule of the products file that said so (if any). */
export interface Attribution {
  errorClass: RuleClass;
  /** `errors.persona[0] ^ENOENT`: recorded with the action, so a report can say why. */
  errorRule?: string;
}

/**
 * An upstream's own error — a tool result with `isError`, a JSON-RPC error other than invalid
 * params — is the product's unless a rule of its `"errors"` says otherwise: the first rule whose
 * pattern occurs in the error's text wins. Only the product's team knows its wording (ENOENT after a
 * read of a file the persona never wrote is the persona's slip), so the default stays `product`.
 */
export function attributeUpstreamError(rules: readonly ErrorRule[], text: string): Attribution {
  const rule = matchErrorRule(rules, text);
  return rule
    ? { errorClass: rule.errorClass, errorRule: `${rule.id} ${rule.pattern}` }
    : { errorClass: 'product' };
}

/** The text of a tool result's content, as a persona reads it. */
export function resultText(content: ReadonlyArray<{ type: string; text?: unknown }>): string {
  return content.map((c) => (c.type === 'text' && typeof c.text === 'string' ? c.text : '')).join('\n');
}
