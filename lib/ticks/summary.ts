import { inArray } from 'drizzle-orm';
import { personaActions, personaFeedback, personaGoals, personaTicks } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import type { GoalOutcome, TokenUsage } from '../../schema/vocabulary.ts';

export interface TickSummary {
  ticks: number;
  byStatus: Record<string, number>;
  endReasons: Record<string, number>;
  actions: number;
  actionErrors: number;
  errorsByClass: Record<string, number>;
  ratingsPerModule: Record<string, { mean: number; n: number }>;
  /** Per module, how the ticks' goals ended (checked and self-reported apart: `todos` / `journal (self)`). */
  goalsPerModule: Record<string, Partial<Record<GoalOutcome, number>>>;
  parseFailures: number;
  ratingErrors: number;
  tokens: TokenUsage;
  costUsd: number;
  largestHistory: { tickId: string | null; events: number; bytes: number };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** Totals over a set of ticks: what `personas up --once` and `personas tick` report. */
export async function summarizeTicks(db: Db, tickIds: readonly string[]): Promise<TickSummary> {
  const ids = [...tickIds];
  const [ticks, actions, feedback, goals] = ids.length
    ? await Promise.all([
        db.select().from(personaTicks).where(inArray(personaTicks.id, ids)),
        db
          .select({ outcome: personaActions.outcome, errorClass: personaActions.errorClass })
          .from(personaActions)
          .where(inArray(personaActions.tickId, ids)),
        db
          .select({ module: personaFeedback.module, rating: personaFeedback.rating })
          .from(personaFeedback)
          .where(inArray(personaFeedback.tickId, ids)),
        db
          .select({ module: personaGoals.module, source: personaGoals.source, outcome: personaGoals.outcome })
          .from(personaGoals)
          .where(inArray(personaGoals.tickId, ids)),
      ])
    : [[], [], [], []];
  const s: TickSummary = {
    ticks: ticks.length,
    byStatus: {},
    endReasons: {},
    actions: actions.length,
    actionErrors: 0,
    errorsByClass: {},
    ratingsPerModule: {},
    goalsPerModule: {},
    parseFailures: 0,
    ratingErrors: ticks.filter((t) => t.ratingError).length,
    tokens: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
    costUsd: 0,
    largestHistory: { tickId: null, events: 0, bytes: 0 },
  };
  for (const t of ticks) {
    bump(s.byStatus, t.status);
    bump(s.endReasons, t.endReason ?? 'none');
    s.tokens.input += t.inputTokens;
    s.tokens.output += t.outputTokens;
    s.tokens.cacheWrite += t.cacheWriteTokens;
    s.tokens.cacheRead += t.cacheReadTokens;
    s.costUsd += Number(t.costUsd);
    if ((t.historyBytes ?? 0) > s.largestHistory.bytes) {
      s.largestHistory = { tickId: t.id, events: t.historyEvents ?? 0, bytes: t.historyBytes ?? 0 };
    }
  }
  for (const a of actions) {
    if (a.outcome !== 'error') continue;
    s.actionErrors++;
    bump(s.errorsByClass, a.errorClass ?? 'unknown');
  }
  const sums: Record<string, { total: number; count: number }> = {};
  for (const f of feedback) {
    if (f.rating === null) {
      s.parseFailures++;
      continue;
    }
    const m = (sums[f.module] ??= { total: 0, count: 0 });
    m.total += f.rating;
    m.count++;
  }
  for (const [module, m] of Object.entries(sums))
    s.ratingsPerModule[module] = { mean: +(m.total / m.count).toFixed(2), n: m.count };
  for (const g of goals)
    bump(
      (s.goalsPerModule[g.source === 'checked' ? g.module : `${g.module} (self)`] ??= {}) as Record<
        string,
        number
      >,
      g.outcome,
    );
  s.costUsd = +s.costUsd.toFixed(6);
  return s;
}

export function formatSummary(s: TickSummary): string {
  const kv = (o: Record<string, number | string>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return [
    `ticks        ${s.ticks} (${kv(s.byStatus)}); end reasons: ${kv(s.endReasons)}`,
    `actions      ${s.actions}, ${s.actionErrors} errors (${kv(s.errorsByClass)})`,
    `ratings      ${kv(Object.fromEntries(Object.entries(s.ratingsPerModule).map(([m, r]) => [m, `${r.mean}★ ×${r.n}`])))}${s.parseFailures ? `; ${s.parseFailures} unparseable` : ''}${s.ratingErrors ? `; ${s.ratingErrors} incomplete` : ''}`,
    `goals        ${kv(Object.fromEntries(Object.entries(s.goalsPerModule).map(([m, o]) => [m, kv(o as Record<string, number>).replaceAll(', ', '/')])))}`,
    `tokens       in ${s.tokens.input}, out ${s.tokens.output}, cache write ${s.tokens.cacheWrite}, cache read ${s.tokens.cacheRead}; cost $${s.costUsd.toFixed(4)}`,
    `history      largest ${s.largestHistory.events} events, ${(s.largestHistory.bytes / 1024).toFixed(1)} KB${s.largestHistory.tickId ? ` (${s.largestHistory.tickId})` : ''}`,
  ].join('\n');
}
