// `client.callTool` is typed as a union with the pre-2024 `{ toolResult }` shape; these take any
// result object so tests can read a modern result without a cast at every call.

/** The text content of a tool result, joined (for an error result: its message). */
export function textOf(result: object): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? '').join('\n');
}

/** The structured content of a tool result, typed by the caller. */
export function structuredOf<T>(result: object): T {
  return (result as { structuredContent?: unknown }).structuredContent as T;
}
