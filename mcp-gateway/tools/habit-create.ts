import { z } from 'zod';
import { habits } from '../../schema/index.ts';
import { spaceIdField, text } from './common.ts';
import { cadenceField, habitOut, targetField, toHabitOut } from './habit-shared.ts';
import { defineTool } from './tool-spec.ts';

export const habitCreate = defineTool({
  name: 'habit_create',
  title: 'Create a habit',
  description: 'Start tracking a new habit (e.g. "drink water", daily, 8 times).',
  module: 'habits',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: {},
  input: z.strictObject({
    name: text(200, 'name').describe('What the habit is.'),
    cadence: cadenceField.default('daily'),
    target_per_period: targetField.default(1),
    space_id: spaceIdField,
  }),
  output: z.object({ habit: habitOut }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const [row] = await ctx.tx
      .insert(habits)
      .values({
        userId: ctx.user.id,
        spaceId,
        name: input.name,
        cadence: input.cadence,
        targetPerPeriod: input.target_per_period,
      })
      .returning();
    return { habit: toHabitOut(row!) };
  },
});
