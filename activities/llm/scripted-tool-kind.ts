// What a tool does, as the offline persona judges it before using an unknown product: from the
// product's own annotations when it gave them (readOnlyHint → read), else from the words of the
// tool's name, the way a person reads a button label.
import type { ToolHint } from './types.ts';

/** `read`: looks without changing; `create`: makes something new; `change`: alters what exists. */
export type ToolKind = 'read' | 'create' | 'change';

const READ_WORDS = new Set(
  'list get search read find query open show view fetch describe info tree stat lookup browse'.split(' '),
);
const CREATE_WORDS = new Set(
  'create add new write make save insert post upload put log record mkdir'.split(' '),
);

/** The tool's own name, without the `<product>__` prefix the gateway puts on federated tools. */
export function bareName(tool: string): string {
  return tool.includes('__') ? tool.slice(tool.lastIndexOf('__') + 2) : tool;
}

/** `list_directory`, `habit_list`, `createEntities` → their words, wherever the product put the verb. */
function words(tool: string): string[] {
  return bareName(tool)
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function toolKind(tool: string, hint: ToolHint | undefined): ToolKind {
  if (hint === 'read') return 'read';
  const w = words(tool);
  const creates = w.some((x) => CREATE_WORDS.has(x));
  if (hint === undefined && !creates && w.some((x) => READ_WORDS.has(x))) return 'read';
  return creates ? 'create' : 'change';
}
