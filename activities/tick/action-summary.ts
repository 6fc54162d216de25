import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

const SUMMARY_CHARS = 300;

/** Whether the gateway lists the tool as reading or writing fields the product stores encrypted. */
export function hasEncryptedFields(tool: Tool | undefined): boolean {
  const fields = tool?._meta?.encryptedFields;
  return !!fields && typeof fields === 'object' && Object.keys(fields).length > 0;
}

/**
 * The action's result summary. It is stored in plaintext (persona_actions.result_summary) and travels
 * through workflow history, so a successful result of a tool with encrypted fields (a note's body, a
 * search snippet of one) is never copied into it: the summary says what happened, and the result
 * itself is only in the sealed transcript. Error messages are the gateway's own words about the call
 * (they never echo argument values) and stay, so teams can still see why a call failed.
 */
export function actionSummary(
  tools: readonly Tool[],
  toolName: string,
  result: CallToolResult,
  text: string,
): string {
  if (!result.isError && hasEncryptedFields(tools.find((t) => t.name === toolName))) {
    return `ok; result withheld: ${toolName} returns fields the product encrypts (kept only in the sealed transcript)`;
  }
  return text.slice(0, SUMMARY_CHARS);
}
