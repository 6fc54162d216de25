import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { habits } from '../../schema/index.ts';
import { idField } from './common.ts';
import { habitOut, toHabitOut } from './habit-shared.ts';
import { ToolInputError } from './tool-errors.ts';
import { defineTool } from './tool-spec.ts';

export const habitArchive = defineTool({
  name: 'habit_archive',
  title: 'Archive a habit',
  description:
    'Stop tracking a habit; it disappears from habit_list but is kept. Archiving twice is harmless.',
  module: 'habits',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: {},
  input: z.strictObject({ habit_id: idField('habit', 'habit_list') }),
  output: z.object({ habit: habitOut }),
  async handler(input, ctx) {
    const [row] = await ctx.tx
      .update(habits)
      .set({ archivedAt: sql`coalesce(${habits.archivedAt}, now())` })
      .where(and(eq(habits.id, input.habit_id), eq(habits.userId, ctx.user.id)))
      .returning();
    if (!row) throw new ToolInputError('habit_id', `no habit ${input.habit_id} of yours; call habit_list`);
    return { habit: toHabitOut(row) };
  },
});
