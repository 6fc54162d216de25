import { eq, sql } from 'drizzle-orm';
import { personaActions, personaFeedback, personaGoals, personaTicks, personas } from '../../schema/index.ts';
import type { PersistInput } from '../../workflows/tick-steps-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { archetypeLabel } from '../metrics.ts';

export const ACTION_BATCH = 500;
export const FEEDBACK_BATCH = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Phase 4: actions, feedback and goals with deterministic ids (ON CONFLICT DO NOTHING, so a retried
 * persist never duplicates), the tick row's totals and history size, and the persona's last_active_at —
 * all in one transaction.
 */
export function createPersistTick(deps: ActivityDeps) {
  return async function persistTick(input: PersistInput): Promise<{ actions: number; feedback: number }> {
    const endedAt = new Date();
    await deps.db.transaction(async (tx) => {
      for (const batch of chunks(input.actions, ACTION_BATCH)) {
        await tx
          .insert(personaActions)
          .values(
            batch.map((a) => ({
              id: `${input.tickId}-${a.seq}-${a.toolName}`,
              tickId: input.tickId,
              personaId: input.personaId,
              round: a.round,
              seq: a.seq,
              toolName: a.toolName,
              toolUseId: a.toolUseId,
              inputHash: a.inputHash,
              outcome: a.outcome,
              errorClass: a.errorClass ?? null,
              errorRule: a.errorRule ?? null,
              resultSummary: a.resultSummary,
              latencyMs: a.latencyMs,
            })),
          )
          .onConflictDoNothing();
      }
      for (const batch of chunks(input.feedback, FEEDBACK_BATCH)) {
        await tx
          .insert(personaFeedback)
          .values(
            batch.map((f) => ({
              id: `${input.tickId}-${f.module}`,
              tickId: input.tickId,
              personaId: input.personaId,
              module: f.module,
              rating: f.rating,
              notes: f.notes,
            })),
          )
          .onConflictDoNothing();
      }
      if (input.goals?.length) {
        await tx
          .insert(personaGoals)
          .values(
            input.goals.map((g) => ({
              id: `${input.tickId}-${g.goalId}`,
              tickId: input.tickId,
              personaId: input.personaId,
              goalId: g.goalId,
              module: g.module,
              source: g.source,
              outcome: g.outcome,
              evidence: g.evidence ?? null,
              selfReport: g.selfReport ?? null,
            })),
          )
          .onConflictDoNothing();
      }
      await tx
        .update(personaTicks)
        .set({
          status: input.status,
          endReason: input.endReason,
          ratingError: input.ratingError ?? null,
          failure: input.failure ?? null,
          rounds: input.rounds,
          toolCalls: input.actions.length,
          inputTokens: input.usage.input,
          outputTokens: input.usage.output,
          cacheWriteTokens: input.usage.cacheWrite,
          cacheReadTokens: input.usage.cacheRead,
          costUsd: input.costUsd.toFixed(6),
          historyEvents: input.historyLength,
          historyBytes: input.historyBytes,
          endedAt,
          durationMs: endedAt.getTime() - input.startedAtMs,
        })
        .where(eq(personaTicks.id, input.tickId));
      await tx
        .update(personas)
        .set({ lastActiveAt: sql`now()` })
        .where(eq(personas.id, input.personaId));
    });
    const archetype = await deps.personas.get(input.personaId).then(
      (p) => p.archetype,
      () => undefined,
    );
    recordMetrics(deps, input, endedAt, archetypeLabel(archetype));
    return { actions: input.actions.length, feedback: input.feedback.length };
  };
}

function recordMetrics(deps: ActivityDeps, input: PersistInput, endedAt: Date, archetype: string): void {
  const m = deps.metrics;
  m.ticks.inc({ status: input.status, end_reason: input.endReason.split(':')[0]! });
  m.tickDuration.observe((endedAt.getTime() - input.startedAtMs) / 1000);
  m.actionsPerTick.observe(input.actions.length);
  for (const [kind, n] of Object.entries(input.usage)) m.tokens.inc({ archetype, kind }, n);
  m.cost.inc({ archetype }, input.costUsd);
  for (const f of input.feedback) if (f.rating !== null) m.ratings.observe({ module: f.module }, f.rating);
  for (const g of input.goals ?? []) m.goals.inc({ module: g.module, outcome: g.outcome });
}
