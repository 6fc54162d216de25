import { PersonaRunnerError } from '../../lib/errors.ts';

/**
 * Thrown by a handler when the caller's input is well-formed but wrong (an unknown id, a space the
 * user does not belong to). Reported as a tool error of class `persona`; any other thrown error is a
 * `product` failure.
 */
export class ToolInputError extends PersonaRunnerError {
  override readonly code = 'TOOL_INPUT_INVALID';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
