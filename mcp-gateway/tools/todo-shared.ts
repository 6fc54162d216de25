import { z } from 'zod';
import type { todos } from '../../schema/index.ts';
import { iso } from './common.ts';

export const todoOut = z.object({
  id: z.string(),
  space_id: z.string(),
  title: z.string(),
  due_date: z.string().nullable(),
  priority: z.enum(['low', 'normal', 'high']),
  completed_at: z.string().nullable(),
  created_at: z.string(),
});

export function toTodoOut(t: typeof todos.$inferSelect): z.infer<typeof todoOut> {
  return {
    id: t.id,
    space_id: t.spaceId,
    title: t.title,
    due_date: t.dueDate,
    priority: t.priority,
    completed_at: iso(t.completedAt),
    created_at: t.createdAt.toISOString(),
  };
}
