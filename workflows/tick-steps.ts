// The tick's steps around its main turn, each a named helper over the tick's state, so the workflow
// function reads as the tick's story (persona-tick.ts). Login and persist are local activities
// (milliseconds, in the worker, inside the workflow task that asks for them); the fallback rating is
// an activity of its own (seconds, paid, heartbeating). The main turn is in tick-main-turn.ts.
import {
  CancellationScope,
  deprecatePatch,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TickActivities } from '../activities/index.ts';
import type { TickOutcome } from '../schema/vocabulary.ts';
import { failureText } from './failures.ts';
import { tickSearchAttributes, type TickInput } from './tick-contract.ts';
import { GOAL_OPTIONS, LOGIN_OPTIONS, MODEL_OPTIONS, PERSIST_OPTIONS } from './tick-retry.ts';
import type { TickState } from './tick-state.ts';
import {
  goalRecords,
  ratedModules,
  ratingActions,
  type GoalRecord,
  type LoginResult,
  type RatingResult,
  type TickGoal,
} from './tick-steps-contract.ts';

const { login } = proxyLocalActivities<TickActivities>(LOGIN_OPTIONS);
const { rate } = proxyActivities<TickActivities>(MODEL_OPTIONS);
const { persistTick } = proxyLocalActivities<TickActivities>(PERSIST_OPTIONS);
const { checkGoals } = proxyLocalActivities<TickActivities>(GOAL_OPTIONS);

/** Ticks since this patch judge their goals after the rating (asked only by ticks that have goals). */
export const GOALS_PATCH = 'tick-goals';

/**
 * Patches of earlier generations of this workflow, retired: every tick runs their new path, and ticks
 * recorded with their `patched()` markers (test/fixtures/histories) still replay. An id may go once no
 * open tick or kept history can carry its marker (README "Changing the workflow").
 */
export const RETIRED_PATCHES = ['tick-local-steps', 'tick-rate-in-last-call'] as const;
const RETIRED_AFTER_LOGIN = 'upsert-missing-search-attributes-only';

/** Logs in as the persona; says who and what the tick is about (memo, search attributes, pause). */
export async function loginStep(input: TickInput, state: TickState): Promise<LoginResult> {
  state.phase = 'login';
  const info = workflowInfo();
  const session = await state.step(() =>
    login.executeWithOptions({ summary: 'login' }, [
      {
        personaId: input.personaId,
        tickId: info.workflowId,
        runId: info.runId,
        ...(input.campaign && { campaign: input.campaign }),
      },
    ]),
  );
  upsertMemo({ provider: session.provider, model: session.model });
  // A tick that starts while its persona is paused (a manual trigger, a start racing the kill
  // switch) waits for `resume` like a signalled one, instead of running.
  if (session.paused) state.paused = true;
  deprecatePatch(RETIRED_AFTER_LOGIN);
  // Every starter sets the search attributes (tickStartOptions); a tick started by hand with fewer
  // gets the missing ones here.
  const missing = tickSearchAttributes(session).filter(
    (a) => info.typedSearchAttributes.get(a.key) === undefined,
  );
  if (missing.length) upsertSearchAttributes(missing);
  return session;
}

/** The rating turn: the one the last model call asked, or a `rate` activity of its own. */
export async function ratingStep(
  input: TickInput,
  state: TickState,
  ratedInCall: RatingResult | undefined,
): Promise<void> {
  const rated = ratedModules(state.actions);
  if (!rated.length) return;
  state.phase = 'rating';
  const rating =
    ratedInCall ??
    (await state.step(() =>
      rate.executeWithOptions({ summary: `rating · ${rated.join(', ')}` }, [
        {
          tickId: state.tickId,
          personaId: input.personaId,
          seed: tickSeed(input, state),
          actions: ratingActions(state.actions),
        },
      ]),
    ));
  state.addUsage(rating.usage, rating.costUsd);
  state.feedback = rating.feedback;
  state.ratingError = rating.ratingError;
  state.selfReports = rating.goals;
}

/**
 * The tick's goals, judged once the persona is done: each checked goal by a read-only call in the
 * product (one local activity for all of them, inside the workflow task that ends the main turn), each
 * self-reported goal by the persona's word in the rating. A check step that fails after its retries
 * leaves its goals `check-error`: the tick itself does not fail for it.
 */
export async function goalStep(
  input: TickInput,
  state: TickState,
  goals: readonly TickGoal[] | undefined,
): Promise<void> {
  if (!goals?.length || !patched(GOALS_PATCH)) return;
  const toCheck = goals.filter((g) => g.source === 'checked').map((g) => g.goalId);
  let checked: GoalRecord[] = [];
  let checkFailure: string | undefined;
  if (toCheck.length) {
    state.phase = 'goals';
    try {
      checked = await state.step(() =>
        checkGoals.executeWithOptions({ summary: `goals · ${toCheck.join(', ')}` }, [
          { tickId: state.tickId, personaId: input.personaId, goalIds: toCheck },
        ]),
      );
    } catch (err) {
      if (isCancellation(err)) throw err;
      checkFailure = failureText(err);
    }
  }
  state.goals = goalRecords(goals, checked, state.selfReports, checkFailure);
}

/** A tick's seed: its campaign trial's seed, else its id (which goals it has; the offline persona's day). */
export const tickSeed = (input: TickInput, state: TickState) => input.campaign?.trialSeed ?? state.tickId;

/** Persists what was done, however the tick ended; runs even when the tick was cancelled. */
export async function persistStep(
  input: TickInput,
  state: TickState,
  ended: { status: TickOutcome; failure?: string },
  startedAtMs: number,
): Promise<void> {
  state.phase = 'persist';
  const now = workflowInfo();
  await CancellationScope.nonCancellable(() =>
    persistTick.executeWithOptions({ summary: `persist · ${state.actions.length} actions` }, [
      {
        tickId: state.tickId,
        personaId: input.personaId,
        status: ended.status,
        endReason: state.endReason ?? 'end_turn',
        rounds: state.round,
        actions: state.actions,
        feedback: state.feedback,
        usage: state.usage,
        costUsd: state.costUsd,
        ratingError: state.ratingError,
        failure: ended.failure,
        ...(state.goals.length && { goals: state.goals }),
        historyLength: now.historyLength,
        historyBytes: now.historySize,
        startedAtMs,
      },
    ]),
  );
}

/** How a tick that threw ended: cancelled, or failed with its failure's text. */
export function howItEnded(err: unknown, state: TickState): { status: TickOutcome; failure?: string } {
  if (isCancellation(err)) {
    state.endReason = 'cancelled';
    return { status: 'cancelled' };
  }
  const failure = failureText(err);
  state.endReason = `error:${failure.split(':')[0]}`;
  return { status: 'failed', failure };
}
