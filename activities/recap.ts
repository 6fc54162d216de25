// Continuity across ticks: the day prompt of a tick carries a short recap of the persona's previous
// completed tick — what it did, what failed, what it said in its ratings — so a persona comes back
// like a returning user instead of meeting the product for the first time every hour. Built from
// action summaries and rating notes, which never carry what the product encrypts.
import { and, asc, desc, eq, lt, ne } from 'drizzle-orm';
import type { DbOrTx } from '../lib/db/client.ts';
import { PARSE_MODULE } from '../schema/vocabulary.ts';
import { personaActions, personaFeedback, personaTicks } from '../schema/index.ts';

/** A recap is a few lines, never a transcript: it is re-sent on every round of the new tick. */
const MAX_CHARS = 700;

export async function previousTickRecap(
  db: DbOrTx,
  personaId: string,
  tickId: string,
  before: Date,
): Promise<string | undefined> {
  const [previous] = await db
    .select({ id: personaTicks.id, startedAt: personaTicks.startedAt })
    .from(personaTicks)
    .where(
      and(
        eq(personaTicks.personaId, personaId),
        eq(personaTicks.status, 'completed'),
        ne(personaTicks.id, tickId),
        lt(personaTicks.startedAt, before),
      ),
    )
    .orderBy(desc(personaTicks.startedAt))
    .limit(1);
  if (!previous) return undefined;
  const [actions, feedback] = await Promise.all([
    db
      .select({
        toolName: personaActions.toolName,
        outcome: personaActions.outcome,
        errorClass: personaActions.errorClass,
        resultSummary: personaActions.resultSummary,
      })
      .from(personaActions)
      .where(eq(personaActions.tickId, previous.id))
      .orderBy(asc(personaActions.round), asc(personaActions.seq)),
    db
      .select({
        module: personaFeedback.module,
        rating: personaFeedback.rating,
        notes: personaFeedback.notes,
      })
      .from(personaFeedback)
      .where(eq(personaFeedback.tickId, previous.id))
      .orderBy(asc(personaFeedback.module)),
  ]);
  return recapText({ startedAt: previous.startedAt, actions, feedback });
}

export interface RecapInput {
  startedAt: Date;
  actions: Array<{
    toolName: string;
    outcome: string;
    errorClass: string | null;
    resultSummary: string | null;
  }>;
  feedback: Array<{ module: string; rating: number | null; notes: string | null }>;
}

/** The recap's words (pure, for tests): did / failed / said, cut to MAX_CHARS. */
export function recapText(r: RecapInput): string {
  const counts = new Map<string, number>();
  for (const a of r.actions) counts.set(a.toolName, (counts.get(a.toolName) ?? 0) + 1);
  const did = [...counts].map(([tool, n]) => (n > 1 ? `${tool} ×${n}` : tool)).join(', ');
  const failed = r.actions
    .filter((a) => a.outcome === 'error')
    .map((a) => `${a.toolName}${a.resultSummary ? ` (${a.resultSummary.slice(0, 80)})` : ''}`);
  const said = r.feedback
    .filter((f) => f.module !== PARSE_MODULE && f.rating !== null)
    .map((f) => `${f.module} ${f.rating}/5${f.notes ? ` — “${f.notes.slice(0, 100)}”` : ''}`);
  const lines = [
    `Last time you were here (${r.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC):`,
    `- you did: ${did || 'nothing'}`,
    ...(failed.length ? [`- what went wrong: ${failed.join('; ')}`] : []),
    ...(said.length ? [`- you rated: ${said.join('; ')}`] : []),
  ];
  const text = lines.join('\n');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
