// What personas said: the notes of their ratings, for the HTML report beside the numbers — the
// lowest ratings of each module, and the words of the personas who got hurt.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { personaFeedback, personas, personaTicks } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';

export interface RatingNote {
  tickId: string;
  personaId: string;
  name: string;
  archetype: string;
  module: string;
  rating: number;
  notes: string;
}

/** Enough to pick the lowest per module of any campaign a report is read for. */
const MAX_NOTES = 5000;

/** A campaign's rating notes, lowest ratings first. */
export async function loadRatingNotes(db: Db, campaignId: string): Promise<RatingNote[]> {
  const rows = await db
    .select({
      tickId: personaFeedback.tickId,
      personaId: personaTicks.personaId,
      name: personas.displayName,
      archetype: personas.archetype,
      module: personaFeedback.module,
      rating: personaFeedback.rating,
      notes: personaFeedback.notes,
    })
    .from(personaFeedback)
    .innerJoin(personaTicks, eq(personaTicks.id, personaFeedback.tickId))
    .innerJoin(personas, eq(personas.id, personaTicks.personaId))
    .where(
      and(
        eq(personaTicks.campaignId, campaignId),
        isNotNull(personaFeedback.rating),
        isNotNull(personaFeedback.notes),
      ),
    )
    .orderBy(asc(personaFeedback.rating), asc(personaFeedback.tickId))
    .limit(MAX_NOTES);
  return rows.filter((r) => r.notes!.trim()).map((r) => ({ ...r, rating: r.rating!, notes: r.notes! }));
}

/** The `n` lowest-rated notes of each module (input sorted lowest first). */
export function lowestNotes(notes: readonly RatingNote[], n: number): RatingNote[] {
  const taken = new Map<string, number>();
  return notes.filter((x) => {
    const k = taken.get(x.module) ?? 0;
    taken.set(x.module, k + 1);
    return k < n;
  });
}
