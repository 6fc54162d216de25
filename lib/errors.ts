/**
 * Base of every error this project throws on purpose. It is named after its class (no subclass sets
 * `name`), carries a stable machine-readable `code` (each subclass declares its own; logs, JSON output
 * and tests match on it) and the process exit code the CLI uses (README "CLI reference": 1 = a
 * failure, 2 = usage or configuration), so `scripts/cli.ts` needs no list of error classes.
 */
export class PersonaRunnerError extends Error {
  readonly code: string = 'PERSONA_RUNNER_ERROR';
  readonly exitCode: 1 | 2 = 1;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Thrown when what the user gave us — a flag, an environment variable, a file — is wrong. Exit 2. */
export class UsageError extends PersonaRunnerError {
  override readonly code: string = 'USAGE';
  override readonly exitCode = 2;
}
