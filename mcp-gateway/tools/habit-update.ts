import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { habits } from '../../schema/index.ts';
import { idField, text } from './common.ts';
import { cadenceField, habitOut, targetField, toHabitOut } from './habit-shared.ts';
import { ToolInputError } from './tool-errors.ts';
import { defineTool } from './tool-spec.ts';

export const habitUpdate = defineTool({
  name: 'habit_update',
  title: 'Update a habit',
  description: 'Rename a habit or change its cadence or target. Give at least one field to change.',
  module: 'habits',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: {},
  input: z
    .strictObject({
      habit_id: idField('habit', 'habit_list'),
      name: text(200, 'name').optional(),
      cadence: cadenceField.optional(),
      target_per_period: targetField.optional(),
    })
    .refine((v) => v.name !== undefined || v.cadence !== undefined || v.target_per_period !== undefined, {
      error: 'give at least one of name, cadence, target_per_period to change',
      path: ['name'],
    }),
  output: z.object({ habit: habitOut }),
  async handler(input, ctx) {
    const [row] = await ctx.tx
      .update(habits)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.cadence !== undefined && { cadence: input.cadence }),
        ...(input.target_per_period !== undefined && { targetPerPeriod: input.target_per_period }),
      })
      .where(and(eq(habits.id, input.habit_id), eq(habits.userId, ctx.user.id)))
      .returning();
    if (!row) throw new ToolInputError('habit_id', `no habit ${input.habit_id} of yours; call habit_list`);
    return { habit: toHabitOut(row) };
  },
});
