// A round's tool calls, as the workflow dispatches them: one `callTool` activity per call (`each`:
// ticks started before the `tick-rounds` patch, whose histories must replay), one `callTools`
// activity for the whole round (`round`: ticks between that patch and `tick-local-steps`), or one
// local `callTool` activity per call (`local`: since). Whichever, the workflow gets one settled
// result per call, in the model's order.
import { CancelledFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { TickActivities } from '../activities/index.ts';
import type { ToolCallResult } from './tick-contract.ts';
import { TOOL_LOCAL_OPTIONS, TOOL_OPTIONS, TOOL_ROUND_OPTIONS } from './tick-retry.ts';

const { callTool } = proxyActivities<TickActivities>(TOOL_OPTIONS);
const { callTools } = proxyActivities<TickActivities>(TOOL_ROUND_OPTIONS);
const localCallTool = proxyLocalActivities<TickActivities>(TOOL_LOCAL_OPTIONS).callTool;

export type ToolCallMode = 'each' | 'round' | 'local';

export interface RoundTarget {
  tickId: string;
  personaId: string;
  round: number;
}

export async function runToolCalls(
  target: RoundTarget,
  uses: ReadonlyArray<{ id: string; name: string }>,
  mode: ToolCallMode,
): Promise<Array<PromiseSettledResult<ToolCallResult>>> {
  if (mode !== 'round') {
    // Parallel tool calls run concurrently; each result is matched to its call by tool_use_id.
    const run = mode === 'local' ? localCallTool : callTool;
    return Promise.allSettled(
      uses.map((use) =>
        run.executeWithOptions({ summary: use.name }, [{ ...target, toolUseId: use.id, toolName: use.name }]),
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
