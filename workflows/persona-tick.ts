import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TickActivities } from '../activities/index.ts';
import type { TickOutcome } from '../lib/vocabulary.ts';
import {
  DEFAULT_BUDGETS,
  failureText,
  pauseSignal,
  resumeSignal,
  statusQuery,
  TICK_FAILURES,
  tickSearchAttributes,
  type ActionRecord,
  type RatingInput,
  ratedModules,
  type RatingResult,
  type TickInput,
  type TickResult,
} from './tick-contract.ts';
import {
  LOGIN_LOCAL_OPTIONS,
  LOGIN_OPTIONS,
  MODEL_OPTIONS,
  PERSIST_LOCAL_OPTIONS,
  PERSIST_OPTIONS,
} from './tick-retry.ts';
import { TickState } from './tick-state.ts';
import { runToolCalls, type ToolCallMode } from './tool-calls.ts';

export { pauseSignal, resumeSignal, statusQuery };

const { login } = proxyActivities<TickActivities>(LOGIN_OPTIONS);
const localLogin = proxyLocalActivities<TickActivities>(LOGIN_LOCAL_OPTIONS).login;
const { modelCall, rate } = proxyActivities<TickActivities>(MODEL_OPTIONS);
const { persistTick } = proxyActivities<TickActivities>(PERSIST_OPTIONS);
const localPersist = proxyLocalActivities<TickActivities>(PERSIST_LOCAL_OPTIONS).persistTick;

/**
 * Ticks started since this patch run a round's tool calls as one activity and persist as a local
 * activity: fewer workflow tasks per tick (issue 12). Asked once, after login, so a history recorded
 * before it (login, then the first model call) replays unchanged.
 */
export const ROUNDS_PATCH = 'tick-rounds';

/**
 * Ticks started since this patch run login and each tool call as local activities: a round costs one
 * workflow task instead of two (issue 12). Asked first, before login, so histories recorded before it
 * (login as an activity) replay on the earlier paths.
 */
export const LOCAL_STEPS_PATCH = 'tick-local-steps';

/**
 * Ticks started since this patch ask the rating turn inside the model call that ends the main turn
 * (when the tick used a rated module): one activity and one workflow task fewer (issue 12). Asked
 * right after `tick-local-steps`, before login, so earlier histories replay on their paths.
 */
export const RATE_IN_LAST_CALL_PATCH = 'tick-rate-in-last-call';

const END_REASONS: Record<string, string> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  refusal: 'refusal',
  stop_sequence: 'end_turn',
};

/**
 * One persona tick: login → main turn → rating turn → persist. The loop lives here; transcripts
 * live in Postgres (activities get ids), so history stays small and a crash resumes at the last
 * completed activity.
 */
export async function personaTick(input: TickInput): Promise<TickResult> {
  const info = workflowInfo();
  const budgets = { ...DEFAULT_BUDGETS, ...input.budgets };
  const state = new TickState(info.workflowId);
  const startedAtMs = Date.now();

  setHandler(statusQuery, () => state.status());
  // The Web UI's current details follow a pause at once, as the status query does (details are
  // metadata, not a command: replay is unaffected).
  const pausedTo = (paused: boolean) => {
    state.paused = paused;
    setCurrentDetails(state.details());
  };
  setHandler(pauseSignal, () => pausedTo(true));
  setHandler(resumeSignal, () => pausedTo(false));

  /**
   * Signals take effect between steps: a paused tick stops before its next step and waits. A tick
   * that is not paused goes straight on: no condition, no extra promise — the SDK records a stack
   * for every promise a workflow creates, a measurable part of each workflow task (bench:tick).
   */
  const step = <T>(run: () => Promise<T>): Promise<T> => {
    setCurrentDetails(state.details());
    if (!state.paused) return run();
    return condition(() => !state.paused).then(() => {
      setCurrentDetails(state.details());
      return run();
    });
  };

  let status: TickOutcome = 'completed';
  let failure: string | undefined;
  const localSteps = !input.beforeRoundsPatch && !input.beforeLocalSteps && patched(LOCAL_STEPS_PATCH);
  const rateInLastCall = localSteps && !input.beforeRateInLastCall && patched(RATE_IN_LAST_CALL_PATCH);
  let persistLocally = localSteps;
  let toolCalls: ToolCallMode = localSteps ? 'local' : 'each';
  try {
    state.phase = 'login';
    const session = await step(() =>
      (localSteps ? localLogin : login).executeWithOptions({ summary: 'login' }, [
        {
          personaId: input.personaId,
          tickId: info.workflowId,
          runId: info.runId,
          ...(input.campaign && { campaign: input.campaign }),
        },
      ]),
    );
    if (!localSteps && !input.beforeRoundsPatch && patched(ROUNDS_PATCH)) {
      persistLocally = true;
      toolCalls = 'round';
    }
    upsertMemo({ provider: session.provider, model: session.model });
    // A tick that starts while its persona is paused (a manual trigger, a start racing the kill
    // switch) waits for `resume` like a signalled one, instead of running.
    if (session.paused) state.paused = true;
    // Every starter sets the search attributes (tickStartOptions); a tick started by hand with
    // fewer gets the missing ones here. Histories recorded before this patch upserted all three.
    const attributes = tickSearchAttributes(session);
    if (patched('upsert-missing-search-attributes-only')) {
      const missing = attributes.filter((a) => info.typedSearchAttributes.get(a.key) === undefined);
      if (missing.length) upsertSearchAttributes(missing);
    } else {
      upsertSearchAttributes(attributes);
    }

    state.phase = 'main';
    /** The rating the last model call asked at once (`tick-rate-in-last-call`), if it did. */
    let ratedInCall: RatingResult | undefined;
    for (;;) {
      const exhausted = state.exhaustedBudget(budgets);
      if (exhausted) {
        state.endReason = exhausted;
        break;
      }
      const round = state.round;
      const rateOnEnd = rateInLastCall && ratedModules(state.actions).length > 0;
      const res = await step(() =>
        modelCall.executeWithOptions({ summary: `model · round ${round + 1}` }, [
          {
            tickId: state.tickId,
            personaId: input.personaId,
            round,
            ...(input.campaign && { seed: input.campaign.trialSeed }),
            ...(rateOnEnd && { rateOnEnd: ratingActions(state.actions) }),
          },
        ]),
      );
      state.addUsage(res.usage, res.costUsd);
      state.round++;
      ratedInCall = res.rating;
      if (res.stopReason !== 'tool_use' || res.toolUses.length === 0) {
        state.endReason = END_REASONS[res.stopReason ?? ''] ?? `stop:${res.stopReason ?? 'none'}`;
        break;
      }
      const room = budgets.maxToolCalls - state.actions.length;
      const calls = res.toolUses.slice(0, room).map((use) => ({ use, seq: state.takeSeq() }));
      const results = await step(() =>
        runToolCalls(
          { tickId: state.tickId, personaId: input.personaId, round },
          calls.map((c) => c.use),
          toolCalls,
        ),
      );
      const byId = new Map<string, ActionRecord>();
      // A cancelled tick still records the calls of this round that completed (they may have written
      // to the product); the cancellation is rethrown once they are in state.actions.
      let cancelled: unknown;
      results.forEach((r, i) => {
        const { use, seq } = calls[i]!;
        if (r.status === 'rejected' && isCancellation(r.reason)) {
          cancelled ??= r.reason;
          return;
        }
        const action: ActionRecord =
          r.status === 'fulfilled'
            ? { ...r.value, seq, round }
            : {
                seq,
                round,
                toolName: use.name,
                toolUseId: use.id,
                module: undefined,
                inputHash: '',
                outcome: 'error',
                errorClass: 'infra',
                summary: failureText(r.reason).slice(0, 300),
                latencyMs: 0,
              };
        if (action.toolUseId !== use.id)
          throw ApplicationFailure.nonRetryable(
            `tool result for ${action.toolUseId} returned for ${use.id}`,
            TICK_FAILURES.toolResultMismatch.type,
          );
        byId.set(use.id, action);
      });
      for (const { use } of calls) {
        const action = byId.get(use.id);
        if (action) state.actions.push(action);
      }
      if (cancelled !== undefined) throw cancelled;
      if (calls.length < res.toolUses.length) {
        state.endReason = 'budget:tool_calls';
        break;
      }
    }

    const rated = ratedModules(state.actions);
    if (rated.length) {
      state.phase = 'rating';
      const rating =
        ratedInCall ??
        (await step(() =>
          rate.executeWithOptions({ summary: `rating · ${rated.join(', ')}` }, [
            { tickId: state.tickId, personaId: input.personaId, actions: ratingActions(state.actions) },
          ]),
        ));
      state.addUsage(rating.usage, rating.costUsd);
      state.feedback = rating.feedback;
      state.ratingError = rating.ratingError;
    }
  } catch (err) {
    if (isCancellation(err)) {
      status = 'cancelled';
      state.endReason = 'cancelled';
    } else {
      status = 'failed';
      failure = failureText(err);
      state.endReason = `error:${failure.split(':')[0]}`;
    }
    await persist(status, failure);
    throw err;
  }
  await persist(status, failure);
  state.phase = 'done';
  setCurrentDetails(state.details());
  return {
    tickId: state.tickId,
    status,
    endReason: state.endReason ?? 'end_turn',
    actions: state.actions.length,
  };

  /** What the rating turn is told of each action. */
  function ratingActions(actions: readonly ActionRecord[]): RatingInput['actions'] {
    return actions.map(({ module, toolName, outcome, errorClass }) => ({
      module,
      toolName,
      outcome,
      errorClass,
    }));
  }

  /** Persists what was done; runs even when the tick was cancelled. */
  async function persist(s: TickOutcome, f: string | undefined): Promise<void> {
    state.phase = 'persist';
    const now = workflowInfo();
    const run = persistLocally ? localPersist : persistTick;
    await CancellationScope.nonCancellable(() =>
      run.executeWithOptions({ summary: `persist · ${state.actions.length} actions` }, [
        {
          tickId: state.tickId,
          personaId: input.personaId,
          status: s,
          endReason: state.endReason ?? 'end_turn',
          rounds: state.round,
          actions: state.actions,
          feedback: state.feedback,
          usage: state.usage,
          costUsd: state.costUsd,
          ratingError: state.ratingError,
          failure: f,
          historyLength: now.historyLength,
          historySize: now.historySize,
          startedAtMs,
        },
      ]),
    );
  }
}
