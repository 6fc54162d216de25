// The tick's main turn: rounds of one model call and the tool calls it asks for, until the model ends
// its day or a budget is spent. Model calls are activities (seconds, paid, heartbeating); each tool
// call is a local activity (milliseconds, in the worker, inside the workflow task of the model's
// answer), so a round costs one workflow task.
import {
  ApplicationFailure,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { TickActivities } from '../activities/index.ts';
import { failureText } from './failures.ts';
import { TICK_FAILURES, type TickBudgets, type TickInput } from './tick-contract.ts';
import { MODEL_OPTIONS, TOOL_OPTIONS } from './tick-retry.ts';
import type { TickState } from './tick-state.ts';
import {
  ratedModules,
  ratingActions,
  type ActionRecord,
  type ModelCallResult,
  type RatingResult,
} from './tick-steps-contract.ts';

const { modelCall } = proxyActivities<TickActivities>(MODEL_OPTIONS);
const { callTool } = proxyLocalActivities<TickActivities>(TOOL_OPTIONS);

const END_REASONS: Record<string, string> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  refusal: 'refusal',
  stop_sequence: 'end_turn',
};

/** Runs the main turn; returns the rating the last model call asked, if it did. */
export async function mainTurn(
  input: TickInput,
  state: TickState,
  budgets: TickBudgets,
): Promise<RatingResult | undefined> {
  state.phase = 'main';
  for (;;) {
    const exhausted = state.exhaustedBudget(budgets);
    if (exhausted) {
      state.endReason = exhausted;
      return undefined;
    }
    const answer = await modelStep(input, state);
    if (answer.stopReason !== 'tool_use' || answer.toolUses.length === 0) {
      state.endReason = END_REASONS[answer.stopReason ?? ''] ?? `stop:${answer.stopReason ?? 'none'}`;
      return answer.rating;
    }
    const room = budgets.maxToolCalls - state.actions.length;
    await toolStep(input, state, answer.toolUses.slice(0, room));
    if (answer.toolUses.length > room) {
      state.endReason = 'budget:tool_calls';
      return undefined;
    }
  }
}

/**
 * One model call of the main turn. When the tick has used a rated module, the call also asks the
 * rating turn should the model end its turn (one activity and one workflow task fewer per tick).
 */
export async function modelStep(input: TickInput, state: TickState): Promise<ModelCallResult> {
  const round = state.round;
  const rateOnEnd = ratedModules(state.actions).length > 0;
  const res = await state.step(() =>
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
  return res;
}

/**
 * A round's tool calls, each a local activity, run concurrently and matched to their calls by
 * tool_use_id. A call whose retry budget is spent is an `infra` action. A cancelled tick still records
 * the calls the gateway had answered (they may have written to the product), then rethrows.
 */
export async function toolStep(
  input: TickInput,
  state: TickState,
  uses: ReadonlyArray<{ id: string; name: string }>,
): Promise<void> {
  const round = state.round - 1;
  const calls = uses.map((use) => ({ use, seq: state.takeSeq() }));
  const results = await state.step(() =>
    Promise.allSettled(
      calls.map(({ use }) =>
        callTool.executeWithOptions({ summary: use.name }, [
          { tickId: state.tickId, personaId: input.personaId, round, toolUseId: use.id, toolName: use.name },
        ]),
      ),
    ),
  );
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
            resultSummary: failureText(r.reason).slice(0, 300),
            latencyMs: 0,
          };
    if (action.toolUseId !== use.id)
      throw ApplicationFailure.nonRetryable(
        `tool result for ${action.toolUseId} returned for ${use.id}`,
        TICK_FAILURES.toolResultMismatch.type,
      );
    state.actions.push(action);
  });
  if (cancelled !== undefined) throw cancelled;
}
