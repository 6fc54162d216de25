import { z } from 'zod';
import { todos } from '../../schema/index.ts';
import { isoDate, spaceIdField, text } from './common.ts';
import { todoOut, toTodoOut } from './todo-shared.ts';
import { defineTool } from './tool-spec.ts';

export const todoCreate = defineTool({
  name: 'todo_create',
  title: 'Create a todo',
  description: 'Add a todo with an optional due date (YYYY-MM-DD) and priority.',
  module: 'todos',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: {},
  input: z.strictObject({
    title: text(300, 'title').describe('What needs doing.'),
    due_date: isoDate.optional().describe('Due date, YYYY-MM-DD.'),
    priority: z
      .enum(['low', 'normal', 'high'], { error: 'expected "low", "normal" or "high"' })
      .default('normal'),
    space_id: spaceIdField,
  }),
  output: z.object({ todo: todoOut }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const [row] = await ctx.tx
      .insert(todos)
      .values({
        userId: ctx.user.id,
        spaceId,
        title: input.title,
        dueDate: input.due_date ?? null,
        priority: input.priority,
      })
      .returning();
    return { todo: toTodoOut(row!) };
  },
});
