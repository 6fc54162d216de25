// The tool registry: every tool the gateway serves, in listing order.
import { adminPersonaDelete } from './admin-persona-delete.ts';
import { adminUserList } from './admin-user-list.ts';
import { habitArchive } from './habit-archive.ts';
import { habitCreate } from './habit-create.ts';
import { habitList } from './habit-list.ts';
import { habitUpdate } from './habit-update.ts';
import { journalAdd } from './journal-add.ts';
import { noteCreate } from './note-create.ts';
import { noteDelete } from './note-delete.ts';
import { noteSearch } from './note-search.ts';
import { spaceList } from './space-list.ts';
import { todoComplete } from './todo-complete.ts';
import { todoCreate } from './todo-create.ts';
import { todoList } from './todo-list.ts';
import type { ToolSpec } from './tool-spec.ts';

export const toolRegistry: readonly ToolSpec[] = [
  spaceList,
  habitCreate,
  habitList,
  habitUpdate,
  habitArchive,
  todoCreate,
  todoList,
  todoComplete,
  noteCreate,
  noteSearch,
  noteDelete,
  journalAdd,
  adminUserList,
  adminPersonaDelete,
] as unknown as readonly ToolSpec[];

export const toolsByName: ReadonlyMap<string, ToolSpec> = new Map(toolRegistry.map((t) => [t.name, t]));

/** What a catalog's goal checks need to know of the built-in tools: whether each only reads. */
export const builtinToolLookup = (name: string): { readOnly: boolean } | undefined => {
  const spec = toolsByName.get(name);
  return spec && { readOnly: spec.policyHint === 'read' };
};
