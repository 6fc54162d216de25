import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { todos } from '../../schema/index.ts';
import { idField } from './common.ts';
import { todoOut, toTodoOut } from './todo-shared.ts';
import { ToolInputError } from './tool-errors.ts';
import { defineTool } from './tool-spec.ts';

export const todoComplete = defineTool({
  name: 'todo_complete',
  title: 'Complete a todo',
  description: 'Mark a todo as done. Completing a done todo keeps its first completion time.',
  module: 'todos',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: {},
  input: z.strictObject({ todo_id: idField('todo', 'todo_list') }),
  output: z.object({ todo: todoOut }),
  async handler(input, ctx) {
    const [row] = await ctx.tx
      .update(todos)
      .set({ completedAt: sql`coalesce(${todos.completedAt}, now())` })
      .where(and(eq(todos.id, input.todo_id), eq(todos.userId, ctx.user.id)))
      .returning();
    if (!row) throw new ToolInputError('todo_id', `no todo ${input.todo_id} of yours; call todo_list`);
    return { todo: toTodoOut(row) };
  },
});
