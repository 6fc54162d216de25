import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { notes } from '../../schema/index.ts';
import { idField } from './common.ts';
import { ToolInputError } from './tool-errors.ts';
import { defineTool } from './tool-spec.ts';

export const noteDelete = defineTool({
  name: 'note_delete',
  title: 'Delete a note',
  description: 'Permanently delete a note. Destructive: only for accounts that opted into destructive tools.',
  module: 'notes',
  scope: 'user-space',
  policyHint: 'destructive',
  encryptedFields: {},
  input: z.strictObject({ note_id: idField('note', 'note_search') }),
  output: z.object({ deleted: z.literal(true), note_id: z.string() }),
  async handler(input, ctx) {
    const [row] = await ctx.tx
      .delete(notes)
      .where(and(eq(notes.id, input.note_id), eq(notes.userId, ctx.user.id)))
      .returning({ id: notes.id });
    if (!row) throw new ToolInputError('note_id', `no note ${input.note_id} of yours; call note_search`);
    return { deleted: true as const, note_id: row.id };
  },
});
