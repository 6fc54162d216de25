import { z } from 'zod';
import { notes } from '../../schema/index.ts';
import { spaceIdField, text } from './common.ts';
import { defineTool } from './tool-spec.ts';

export const noteOut = z.object({
  id: z.string(),
  space_id: z.string(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  created_at: z.string(),
});

export const noteCreate = defineTool({
  name: 'note_create',
  title: 'Create a note',
  description: 'Write a note with a title, a body (stored encrypted) and optional tags.',
  module: 'notes',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: { notes: ['body'] },
  input: z.strictObject({
    title: text(200, 'title').describe('Short title (searchable, stored in plaintext).'),
    body: text(20_000, 'body').describe('The note itself (stored encrypted).'),
    tags: z
      .array(text(40, 'tag'), { error: 'expected a list of strings' })
      .max(20, { error: 'at most 20 tags' })
      .default([]),
    space_id: spaceIdField,
  }),
  output: z.object({ note: noteOut }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const values = ctx.cipher.seal('notes', {
      userId: ctx.user.id,
      spaceId,
      title: input.title,
      body: input.body,
      tags: input.tags,
    });
    const [row] = await ctx.tx.insert(notes).values(values).returning();
    const plain = ctx.cipher.open('notes', row!);
    return {
      note: {
        id: plain.id,
        space_id: plain.spaceId,
        title: plain.title,
        body: plain.body,
        tags: plain.tags,
        created_at: plain.createdAt.toISOString(),
      },
    };
  },
});
