import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { habits } from '../../schema/index.ts';
import { spaceIdField } from './common.ts';
import { habitOut, toHabitOut } from './habit-shared.ts';
import { defineTool } from './tool-spec.ts';

export const habitList = defineTool({
  name: 'habit_list',
  title: 'List habits',
  description: 'List your habits in a space (active ones unless include_archived is true).',
  module: 'habits',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({
    include_archived: z.boolean({ error: 'expected true or false' }).default(false),
    space_id: spaceIdField,
  }),
  output: z.object({ habits: z.array(habitOut) }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const rows = await ctx.tx
      .select()
      .from(habits)
      .where(
        and(
          eq(habits.userId, ctx.user.id),
          eq(habits.spaceId, spaceId),
          input.include_archived ? undefined : isNull(habits.archivedAt),
        ),
      )
      .orderBy(desc(habits.createdAt))
      .limit(200);
    return { habits: rows.map(toHabitOut) };
  },
});
