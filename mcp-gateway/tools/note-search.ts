import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { notes } from '../../schema/index.ts';
import { limitField, spaceIdField, text } from './common.ts';
import { defineTool } from './tool-spec.ts';

const SCAN_LIMIT = 500;

export const noteSearch = defineTool({
  name: 'note_search',
  title: 'Search notes',
  description: 'Find notes whose title, body or tags contain the query (case-insensitive).',
  module: 'notes',
  scope: 'user-space',
  policyHint: 'read',
  encryptedFields: { notes: ['body'] },
  input: z.strictObject({
    query: text(200, 'query').describe('Words to look for.'),
    limit: limitField(50, 10),
    space_id: spaceIdField,
  }),
  output: z.object({
    notes: z.array(
      z.object({ id: z.string(), title: z.string(), snippet: z.string(), tags: z.array(z.string()) }),
    ),
  }),
  async handler(input, ctx) {
    const spaceId = await ctx.resolveSpace(input.space_id);
    // Bodies are encrypted, so matching happens after decryption, over the most recent notes.
    const rows = await ctx.tx
      .select()
      .from(notes)
      .where(and(eq(notes.userId, ctx.user.id), eq(notes.spaceId, spaceId)))
      .orderBy(desc(notes.createdAt))
      .limit(SCAN_LIMIT);
    const q = input.query.toLowerCase();
    const hits = [];
    for (const row of rows) {
      const n = ctx.cipher.open('notes', row);
      const at = n.body.toLowerCase().indexOf(q);
      if (at < 0 && !n.title.toLowerCase().includes(q) && !n.tags.some((t) => t.toLowerCase().includes(q)))
        continue;
      const start = Math.max(0, at - 40);
      hits.push({ id: n.id, title: n.title, snippet: n.body.slice(start, start + 160), tags: n.tags });
      if (hits.length >= input.limit) break;
    }
    return { notes: hits };
  },
});
