import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { spaceMemberships, spaces } from '../../schema/index.ts';
import { defineTool } from './tool-spec.ts';

export const spaceList = defineTool({
  name: 'space_list',
  title: 'List spaces',
  description: 'List the spaces you belong to (your personal space first) with their ids.',
  module: 'spaces',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({}),
  output: z.object({
    spaces: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.enum(['personal', 'family', 'team']),
        role: z.enum(['owner', 'member']),
      }),
    ),
  }),
  async handler(_input, ctx) {
    const rows = await ctx.tx
      .select({ id: spaces.id, name: spaces.name, type: spaces.type, role: spaceMemberships.role })
      .from(spaceMemberships)
      .innerJoin(spaces, eq(spaces.id, spaceMemberships.spaceId))
      .where(eq(spaceMemberships.userId, ctx.user.id));
    rows.sort(
      (a, b) => Number(b.type === 'personal') - Number(a.type === 'personal') || a.name.localeCompare(b.name),
    );
    return { spaces: rows };
  },
});
