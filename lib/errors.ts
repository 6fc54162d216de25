/**
 * Base of every error a person is meant to read: it carries the process exit code the CLI uses
 * (README "CLI reference": 1 = a failure, 2 = usage or configuration), so `scripts/cli.ts` needs no
 * list of error classes.
 */
export class PersonaRunnerError extends Error {
  readonly exitCode: 1 | 2 = 1;
}

/** Thrown when what the user gave us — a flag, an environment variable, a file — is wrong. Exit 2. */
export class UsageError extends PersonaRunnerError {
  override readonly exitCode = 2;
}
