// A round's tool calls, as the workflow dispatches them: one `callTool` activity per call (ticks
// started before the `tick-rounds` patch, whose histories must replay), or one `callTools` activity
// for the whole round. Either way the workflow gets one settled result per call, in the model's order.
import { CancelledFailure, proxyActivities } from '@temporalio/workflow';
import type { TickActivities } from '../activities/index.ts';
import type { ToolCallResult } from './tick-contract.ts';
import { TOOL_OPTIONS, TOOL_ROUND_OPTIONS } from './tick-retry.ts';

const { callTool } = proxyActivities<TickActivities>(TOOL_OPTIONS);
const { callTools } = proxyActivities<TickActivities>(TOOL_ROUND_OPTIONS);

export interface RoundTarget {
  tickId: string;
  personaId: string;
  round: number;
}

export async function runToolCalls(
  target: RoundTarget,
  uses: ReadonlyArray<{ id: string; name: string }>,
  oneActivity: boolean,
): Promise<Array<PromiseSettledResult<ToolCallResult>>> {
  if (!oneActivity) {
    // Parallel tool calls run concurrently; each result is matched to its call by tool_use_id.
    return Promise.allSettled(
      uses.map((use) =>
        callTool.executeWithOptions({ summary: use.name }, [
          { ...target, toolUseId: use.id, toolName: use.name },
        ]),
      ),
    );
  }
  try {
    const out = await callTools.executeWithOptions({ summary: uses.map((u) => u.name).join(' · ') }, [
      { ...target, calls: uses.map((u) => ({ toolUseId: u.id, toolName: u.name })) },
    ]);
    return uses.map((use, i): PromiseSettledResult<ToolCallResult> => {
      const r = out[i];
      if (!r)
        return { status: 'rejected', reason: new CancelledFailure(`cancelled before ${use.id} finished`) };
      if ('failure' in r) return { status: 'rejected', reason: new Error(r.failure) };
      return { status: 'fulfilled', value: r };
    });
  } catch (err) {
    // The round's budget is spent (or it was cancelled before it answered): every call shares the failure.
    return uses.map(() => ({ status: 'rejected', reason: err }));
  }
}
