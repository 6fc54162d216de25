import type { Comparison } from './compare.ts';

/** What fails the gate besides a regressed or missing row. */
export interface GateOptions {
  /** `insufficient` fails too: a strict gate that will not pass what it could not judge. */
  failOnInsufficient?: boolean;
  /** A persona hurt in every trial of a module fails too. */
  failOnPersonaRegression?: boolean;
}

/** Whether the comparison fails the gate (exit 1). */
export const gateFails = (c: Comparison, gate: GateOptions = {}) =>
  c.regressed.length > 0 ||
  (!!gate.failOnInsufficient && c.insufficient.length > 0) ||
  (!!gate.failOnPersonaRegression && c.hurt.length > 0);
