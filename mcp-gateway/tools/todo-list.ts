import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { todos } from '../../schema/index.ts';
import { limitField, spaceIdField } from './common.ts';
import { todoOut, toTodoOut } from './todo-shared.ts';
import { defineTool } from './tool-spec.ts';

export const todoList = defineTool({
  name: 'todo_list',
  title: 'List todos',
  description:
    'List todos in a space: open ones (default), done ones, or all; soonest due first, then highest priority.',
  module: 'todos',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({
    status: z.enum(['open', 'done', 'all'], { error: 'expected "open", "done" or "all"' }).default('open'),
    limit: limitField(200, 50),
    space_id: spaceIdField,
  }),
  output: z.object({ todos: z.array(todoOut) }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const status =
      input.status === 'open'
        ? isNull(todos.completedAt)
        : input.status === 'done'
          ? isNotNull(todos.completedAt)
          : undefined;
    const rows = await ctx.tx
      .select()
      .from(todos)
      .where(and(eq(todos.userId, ctx.user.id), eq(todos.spaceId, spaceId), status))
      .orderBy(sql`${todos.dueDate} asc nulls last`, desc(todos.priority), desc(todos.createdAt))
      .limit(input.limit);
    return { todos: rows.map(toTodoOut) };
  },
});
