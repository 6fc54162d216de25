// Goals as the dashboard shows them: a tick's goals with their evidence (opened like transcript
// parts when sealed), a persona's goal success per day, and goal success per module since a date.
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { isWithheld } from './open-transcript.ts';
import { iso, num } from './sql-values.ts';
import type { OpenPart } from './tick-detail.ts';

export interface GoalView {
  goalId: string;
  module: string;
  source: string;
  outcome: string;
  /** The check's result and why it failed, or why there is none; `withheld` when sealed for another key. */
  evidence: string | undefined;
  selfReport: { achieved: boolean; why: string } | undefined;
}

export async function loadTickGoals(db: Db, tickId: string, openPart: OpenPart): Promise<GoalView[]> {
  const { rows } = await db.execute(sql`SELECT goal_id, module, source, outcome, evidence, self_report
                                          FROM persona_goals WHERE tick_id = ${tickId} ORDER BY goal_id`);
  return Promise.all(
    rows.map(async (r) => {
      const opened = r.evidence == null ? undefined : await openPart(tickId, r.evidence);
      return {
        goalId: String(r.goal_id),
        module: String(r.module),
        source: String(r.source),
        outcome: String(r.outcome),
        evidence:
          opened === undefined
            ? undefined
            : isWithheld(opened)
              ? `withheld: ${opened.withheld}`
              : typeof opened === 'string'
                ? opened
                : JSON.stringify(opened, null, 2),
        selfReport: (r.self_report as GoalView['selfReport']) ?? undefined,
      };
    }),
  );
}

/** Goal success per module (checked and self-reported apart) since `since`. */
export interface GoalSuccess {
  module: string;
  source: string;
  achieved: number;
  /** Goals judged: achieved or failed (not-attempted and check-error are counted apart). */
  judged: number;
  notJudged: number;
}

export async function goalSuccessSince(db: Db, since: Date, personaId?: string): Promise<GoalSuccess[]> {
  const { rows } = await db.execute(sql`
    SELECT module, source::text AS source,
           count(*) FILTER (WHERE outcome = 'achieved')::int AS achieved,
           count(*) FILTER (WHERE outcome IN ('achieved', 'failed'))::int AS judged,
           count(*) FILTER (WHERE outcome NOT IN ('achieved', 'failed'))::int AS not_judged
      FROM persona_goals
     WHERE created_at >= ${since.toISOString()}::timestamptz
       ${personaId ? sql`AND persona_id = ${personaId}` : sql``}
     GROUP BY module, source ORDER BY module, source`);
  return rows.map((r) => ({
    module: String(r.module),
    source: String(r.source),
    achieved: num(r.achieved),
    judged: num(r.judged),
    notJudged: num(r.not_judged),
  }));
}

/** A persona's goal success per day (UTC), newest first. */
export async function goalSuccessByDay(db: Db, personaId: string, days = 14) {
  const { rows } = await db.execute(sql`
    SELECT extract(epoch FROM date_trunc('day', created_at)) * 1000 AS day_ms,
           count(*) FILTER (WHERE outcome = 'achieved')::int AS achieved,
           count(*) FILTER (WHERE outcome IN ('achieved', 'failed'))::int AS judged
      FROM persona_goals
     WHERE persona_id = ${personaId} AND source = 'checked'
       AND created_at >= now() - make_interval(days => ${days})
     GROUP BY 1 ORDER BY 1 DESC`);
  return rows.map((r) => ({ day: iso(r.day_ms), achieved: num(r.achieved), judged: num(r.judged) }));
}
