import { and, asc, eq } from 'drizzle-orm';
import { personaTranscript } from '../schema/index.ts';
import type { DbOrTx } from '../lib/db/client.ts';
import { openTranscriptPart, sealTranscriptPart, type TranscriptKey } from '../lib/ticks/transcript-seal.ts';
import { tagError } from './error-tag.ts';
import type { ContentBlock, MessageParam } from './llm/types.ts';

type TranscriptPart = (typeof personaTranscript.part.enumValues)[number];
type ToolResultBlock = { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

/**
 * Upserts one transcript part, sealed with the persona's transcript key (parts hold what the product
 * encrypts: note and journal bodies); a retried step replaces its row rather than appending.
 */
export async function saveTranscriptPart(
  db: DbOrTx,
  key: TranscriptKey,
  tickId: string,
  round: number,
  part: TranscriptPart,
  plain: unknown,
  partKey = '',
): Promise<void> {
  const content = sealTranscriptPart(key, plain);
  await db
    .insert(personaTranscript)
    .values({ tickId, round, part, partKey, content })
    .onConflictDoUpdate({
      target: [
        personaTranscript.tickId,
        personaTranscript.round,
        personaTranscript.part,
        personaTranscript.partKey,
      ],
      set: { content, createdAt: new Date() },
    });
}

/** A stored part's content, opened with the key the worker sealed it with. */
function openPart(content: unknown, key: TranscriptKey): unknown {
  const opened = openTranscriptPart(content, key);
  if (opened.state === 'withheld') throw new Error(`transcript part ${opened.reason}`);
  return opened.content;
}

export async function loadToolInput(
  db: DbOrTx,
  key: TranscriptKey,
  tickId: string,
  round: number,
  toolUseId: string,
): Promise<Record<string, unknown> | undefined> {
  const [row] = await db
    .select({ content: personaTranscript.content })
    .from(personaTranscript)
    .where(
      and(
        eq(personaTranscript.tickId, tickId),
        eq(personaTranscript.round, round),
        eq(personaTranscript.part, 'assistant'),
      ),
    );
  const blocks = (row ? openPart(row.content, key) : []) as ContentBlock[];
  const use = blocks.find((b) => b.type === 'tool_use' && b.id === toolUseId);
  return use?.type === 'tool_use' ? (use.input as Record<string, unknown>) : undefined;
}

export type TranscriptRow = typeof personaTranscript.$inferSelect;

/** Every stored part of a tick's transcript, by round, as stored (sealed). */
export async function loadTranscript(db: DbOrTx, tickId: string): Promise<TranscriptRow[]> {
  return db
    .select()
    .from(personaTranscript)
    .where(eq(personaTranscript.tickId, tickId))
    .orderBy(asc(personaTranscript.round));
}

/** Rows from loadTranscript with their content opened. */
export function openTranscriptRows(rows: readonly TranscriptRow[], key: TranscriptKey): TranscriptRow[] {
  return rows.map((r) => ({ ...r, content: openPart(r.content, key) }));
}

/**
 * Rebuilds the conversation for round `upTo` from Postgres: the opening prompt, then for each earlier
 * round the assistant's blocks and a user turn with one tool_result per tool_use, matched by
 * tool_use_id (never by position). A tool_use without a stored result (its call failed for good)
 * gets an error result so the conversation stays valid.
 */
export async function buildMessages(
  db: DbOrTx,
  key: TranscriptKey,
  tickId: string,
  opening: string,
  upTo: number,
): Promise<MessageParam[]> {
  return transcriptMessages(openTranscriptRows(await loadTranscript(db, tickId), key), opening, upTo);
}

/** The tick's opening prompt as stored at round 0 (`opening` part), else `fallback`. */
export function storedOpening(rows: readonly TranscriptRow[], fallback: () => string): string {
  const stored = rows.find((r) => r.part === 'opening')?.content;
  return typeof stored === 'string' ? stored : fallback();
}

/** The round after the last one the model answered: the conversation a rating turn continues. */
export function roundsAnswered(rows: readonly TranscriptRow[]): number {
  return rows.reduce((n, r) => (r.part === 'assistant' && r.round >= 0 ? Math.max(n, r.round + 1) : n), 0);
}

/** buildMessages over rows already loaded with loadTranscript and opened. */
export function transcriptMessages(
  rows: readonly TranscriptRow[],
  opening: string,
  upTo: number,
): MessageParam[] {
  const messages: MessageParam[] = [{ role: 'user', content: opening }];
  for (let round = 0; round < upTo; round++) {
    const assistant = rows.find((r) => r.round === round && r.part === 'assistant');
    if (!assistant) break;
    const blocks = assistant.content as ContentBlock[];
    messages.push({ role: 'assistant', content: blocks as MessageParam['content'] });
    const results = new Map(
      rows
        .filter((r) => r.round === round && r.part === 'tool_result')
        .map((r) => [r.partKey, r.content as ToolResultBlock]),
    );
    const uses = blocks.filter((b) => b.type === 'tool_use');
    if (!uses.length) continue;
    messages.push({
      role: 'user',
      content: uses.map(
        (u) =>
          results.get(u.id) ?? {
            type: 'tool_result' as const,
            tool_use_id: u.id,
            content: tagError(
              'infra',
              'the tool call could not be completed (infrastructure failure); it was not executed',
            ),
            is_error: true,
          },
      ),
    });
  }
  return messages;
}
