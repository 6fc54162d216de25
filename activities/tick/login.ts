import { ApplicationFailure } from '@temporalio/common';
import { personaTicks } from '../../schema/index.ts';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';
import { type LoginInput, type LoginResult } from '../../workflows/tick-steps-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { tickGoals } from './tick-goals.ts';

/**
 * Phase 1: log the persona in (password re-derived, token kept in the worker's memory), check it has
 * its personal space, and open the tick row (its id is the workflow id). Returns no secret: only ids
 * and labels reach history.
 */
export function createLogin(deps: ActivityDeps) {
  return async function login(input: LoginInput): Promise<LoginResult> {
    const { tickId, runId } = input;
    // Fresh: the paused flag must be current; later steps of the tick reuse this read.
    const persona = await deps.personas.get(input.personaId, { fresh: true });
    if (!persona.hasPersonalSpace) {
      throw ApplicationFailure.nonRetryable(
        `persona ${persona.email} has no personal space`,
        TICK_FAILURES.noPersonalSpace.type,
      );
    }
    await deps.sessions.token(persona.id);
    await deps.db
      .insert(personaTicks)
      .values({
        id: tickId,
        personaId: persona.id,
        runId,
        provider: deps.llm.kind,
        model: deps.llm.model,
        ...(input.campaign && {
          campaignId: input.campaign.campaignId,
          trial: input.campaign.trial,
          trialSeed: input.campaign.trialSeed,
        }),
      })
      .onConflictDoUpdate({ target: personaTicks.id, set: { runId, status: 'running' } });
    return {
      tickId,
      personaId: persona.id,
      userId: persona.userId,
      archetype: persona.archetype,
      cadence: persona.cadence,
      provider: deps.llm.kind,
      model: deps.llm.model,
      paused: persona.paused,
      ...(persona.goals.length && { goals: tickGoals(persona, input.campaign?.trialSeed ?? tickId) }),
    };
  };
}
