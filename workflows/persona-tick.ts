// The persona tick: login → main turn (rounds of a model call and its tool calls) → rating → persist.
// Transcripts live in Postgres (activities get ids), so history stays small and a crash resumes at
// the last completed step. The steps are in tick-steps.ts and tick-main-turn.ts; the contract in
// tick-contract.ts.
import { deprecatePatch, workflowInfo } from '@temporalio/workflow';
import type { TickOutcome } from '../schema/vocabulary.ts';
import {
  DEFAULT_BUDGETS,
  pauseSignal,
  resumeSignal,
  statusQuery,
  type TickInput,
  type TickResult,
} from './tick-contract.ts';
import { mainTurn } from './tick-main-turn.ts';
import { TickState } from './tick-state.ts';
import { goalStep, howItEnded, loginStep, persistStep, ratingStep, RETIRED_PATCHES } from './tick-steps.ts';

export { pauseSignal, resumeSignal, statusQuery };

export async function personaTick(input: TickInput): Promise<TickResult> {
  const state = new TickState(workflowInfo().workflowId);
  const budgets = { ...DEFAULT_BUDGETS, ...input.budgets };
  const startedAtMs = Date.now();
  state.listen();
  for (const id of RETIRED_PATCHES) deprecatePatch(id);

  let ended: { status: TickOutcome; failure?: string } = { status: 'completed' };
  try {
    const session = await loginStep(input, state);
    const ratedInCall = await mainTurn(input, state, budgets);
    await ratingStep(input, state, ratedInCall);
    await goalStep(input, state, session.goals);
  } catch (err) {
    ended = howItEnded(err, state);
    await persistStep(input, state, ended, startedAtMs);
    throw err;
  }
  await persistStep(input, state, ended, startedAtMs);
  state.phase = 'done';
  state.showDetails();
  return {
    tickId: state.tickId,
    status: ended.status,
    endReason: state.endReason ?? 'end_turn',
    actions: state.actions.length,
  };
}
