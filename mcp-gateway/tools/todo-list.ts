import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { todos } from '../../schema/index.ts';
import type { DbOrTx } from '../../lib/db/client.ts';
import { preparedQuery } from '../../lib/db/prepared.ts';
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
    const query = preparedQuery(ctx.tx, `todo_list_${input.status}`, (db) => listQuery(db, input.status));
    const rows = await query.execute({ userId: ctx.user.id, spaceId, limit: input.limit });
    return { todos: rows.map(toTodoOut) };
  },
});

/** The list query of one status, as a prepared statement (the hottest read of a persona's day). */
function listQuery(db: DbOrTx, status: 'open' | 'done' | 'all') {
  const done =
    status === 'open'
      ? isNull(todos.completedAt)
      : status === 'done'
        ? isNotNull(todos.completedAt)
        : undefined;
  return db
    .select()
    .from(todos)
    .where(
      and(eq(todos.userId, sql.placeholder('userId')), eq(todos.spaceId, sql.placeholder('spaceId')), done),
    )
    .orderBy(sql`${todos.dueDate} asc nulls last`, desc(todos.priority), desc(todos.createdAt))
    .limit(sql.placeholder('limit'))
    .prepare(`todo_list_${status}`);
}
