import { and, eq } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { personaTicks, spaces } from '../../schema/index.ts';
import type { LoginResult } from '../../workflows/tick-types.ts';
import type { ActivityDeps } from '../deps.ts';
import { loadPersona, PERSONA_FAILURE } from '../persona-context.ts';

/**
 * Phase 1: log the persona in (password re-derived, token kept in the worker's memory), resolve its
 * personal space, and open the tick row. Returns no secret: only ids and labels reach history.
 */
export function createLogin(deps: ActivityDeps) {
  return async function login(input: {
    personaId: string;
    tickId: string;
    runId: string;
  }): Promise<LoginResult> {
    const { tickId, runId } = input;
    const persona = await loadPersona(deps.db, input.personaId);
    const [space] = await deps.db
      .select({ id: spaces.id })
      .from(spaces)
      .where(and(eq(spaces.ownerId, persona.userId), eq(spaces.type, 'personal')));
    if (!space) {
      throw ApplicationFailure.nonRetryable(
        `persona ${persona.email} has no personal space`,
        PERSONA_FAILURE.noSpace,
      );
    }
    await deps.sessions.token(persona.id);
    await deps.db
      .insert(personaTicks)
      .values({
        id: tickId,
        personaId: persona.id,
        workflowId: tickId,
        runId,
        provider: deps.llm.kind,
        model: deps.llm.model,
      })
      .onConflictDoUpdate({ target: personaTicks.id, set: { runId, status: 'running' } });
    return {
      tickId,
      personaId: persona.id,
      userId: persona.userId,
      archetype: persona.archetype,
      cadence: persona.cadence,
      personalSpaceId: space.id,
      provider: deps.llm.kind,
      model: deps.llm.model,
      paused: persona.paused,
    };
  };
}
