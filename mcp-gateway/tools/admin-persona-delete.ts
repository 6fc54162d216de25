import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../schema/index.ts';
import { idField } from './common.ts';
import { ToolInputError } from './tool-errors.ts';
import { deletePersonaUsers, NotAPersonaError } from '../../lib/personas/delete-persona.ts';
import { defineTool } from './tool-spec.ts';

export const adminPersonaDelete = defineTool({
  name: 'admin_persona_delete',
  title: 'Delete a persona (admin)',
  description:
    'Hard-delete a persona account and everything it owns. Refuses any account that is not a persona.',
  module: 'admin',
  scope: 'admin',
  policyHint: 'destructive',
  encryptedFields: {},
  input: z.strictObject({ user_id: idField('user', 'admin_user_list') }),
  output: z.object({ deleted: z.literal(true), user_id: z.string(), email: z.string() }),
  async handler(input, ctx) {
    const [user] = await ctx.tx.select().from(users).where(eq(users.id, input.user_id));
    if (!user) throw new ToolInputError('user_id', `no user ${input.user_id}`);
    try {
      await deletePersonaUsers(ctx.tx, [user.id]);
    } catch (err) {
      if (err instanceof NotAPersonaError) throw new ToolInputError('user_id', err.message);
      throw err;
    }
    return { deleted: true as const, user_id: user.id, email: user.email };
  },
});
