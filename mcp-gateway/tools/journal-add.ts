import { z } from 'zod';
import { journalEntries } from '../../schema/index.ts';
import { isoDate, spaceIdField, text } from './common.ts';
import { defineTool } from './tool-spec.ts';

export const journalAdd = defineTool({
  name: 'journal_add',
  title: 'Add a journal entry',
  description: 'Write a journal entry (stored encrypted) with an optional mood from 1 (bad) to 5 (great).',
  module: 'journal',
  scope: 'user-space',
  policyHint: 'write',
  encryptedFields: { journal_entries: ['body'] },
  input: z.strictObject({
    body: text(20_000, 'body').describe('The entry (stored encrypted).'),
    mood: z
      .number({ error: 'expected a whole number from 1 to 5' })
      .int({ error: 'expected a whole number from 1 to 5' })
      .min(1, { error: 'mood must be from 1 to 5' })
      .max(5, { error: 'mood must be from 1 to 5' })
      .optional(),
    entry_date: isoDate.optional().describe('Day the entry is about, YYYY-MM-DD; defaults to today (UTC).'),
    space_id: spaceIdField,
  }),
  output: z.object({
    entry: z.object({
      id: z.string(),
      space_id: z.string(),
      body: z.string(),
      mood: z.number().int().nullable(),
      entry_date: z.string(),
      created_at: z.string(),
    }),
  }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    const values = ctx.cipher.seal('journal_entries', {
      userId: ctx.user.id,
      spaceId,
      body: input.body,
      mood: input.mood ?? null,
      entryDate: input.entry_date ?? new Date().toISOString().slice(0, 10),
    });
    const [row] = await ctx.tx.insert(journalEntries).values(values).returning();
    const e = ctx.cipher.open('journal_entries', row!);
    return {
      entry: {
        id: e.id,
        space_id: e.spaceId,
        body: e.body,
        mood: e.mood,
        entry_date: e.entryDate,
        created_at: e.createdAt.toISOString(),
      },
    };
  },
});
