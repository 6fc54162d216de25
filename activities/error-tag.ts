// A failed tool result the persona reads starts with the class the gateway gave the failure
// (`[error: product] ENOENT: …`). The gateway's own failures are worded for a model, but a federated
// product answers in its own words; the tag says which side failed whatever the words, so a model —
// and the offline persona, which rates from the conversation — can tell the product failing it from
// its own invalid input.
import { isErrorClass, type ErrorClass } from '../schema/vocabulary.ts';

const TAG = /^\[error: ([a-z]+)\] /;

/** The text of a failed tool result as the persona reads it: tagged with its error class. */
export function tagError(errorClass: ErrorClass, text: string): string {
  return `[error: ${errorClass}] ${text}`;
}

/** The error class a tagged result carries; undefined when untagged (written before tags existed). */
export function taggedErrorClass(text: string): ErrorClass | undefined {
  const claimed = TAG.exec(text)?.[1];
  return isErrorClass(claimed) ? claimed : undefined;
}
