import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../schema/index.ts';
import { limitField } from './common.ts';
import { defineTool } from './tool-spec.ts';

export const adminUserList = defineTool({
  name: 'admin_user_list',
  title: 'List users (admin)',
  description: 'List accounts, optionally only one kind (human, persona, system). Admin only.',
  module: 'admin',
  scope: 'admin',
  policyHint: 'read',
  encryptedFields: {},
  input: z.strictObject({
    kind: z
      .enum(['human', 'persona', 'system'], { error: 'expected "human", "persona" or "system"' })
      .optional(),
    limit: limitField(1000, 100),
  }),
  output: z.object({
    users: z.array(z.object({ id: z.string(), email: z.string(), kind: z.string(), tier: z.string() })),
  }),
  async handler(input, ctx) {
    const rows = await ctx.tx
      .select({ id: users.id, email: users.email, kind: users.kind, tier: users.tier })
      .from(users)
      .where(input.kind ? eq(users.kind, input.kind) : undefined)
      .orderBy(desc(users.createdAt))
      .limit(input.limit);
    return { users: rows };
  },
});
