// The offline persona and its goals. It cannot read a goal's `ask`, so it does what the catalog's
// `scripted` calls say, first thing in its day, and in the rating turn reports a self-reported goal as
// achieved when every one of those calls succeeded. A goal without scripted calls is not attempted
// (reported as such by the check step, never hidden).
import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, LlmRequest } from './types.ts';

/** Tool-use id of a goal's i-th scripted call: recognisable in the conversation, unique in a tick. */
const goalUseId = (goalId: string, i: number) => `toolu_goal_${goalId.replace(/[^A-Za-z0-9_-]/g, '_')}_${i}`;

/** The goals' scripted calls as tool uses, for the first round of the day. */
export function goalToolUses(req: LlmRequest): ContentBlock[] {
  return (req.persona.goals ?? []).flatMap((g) =>
    g.calls.map(
      (c, i) =>
        ({
          type: 'tool_use',
          id: goalUseId(g.id, i),
          name: c.name,
          input: c.input,
        }) as Anthropic.Messages.ToolUseBlock,
    ),
  );
}

/** The offline persona's word on its self-reported goals: achieved when all their calls succeeded. */
export function scriptedGoalReports(
  req: LlmRequest,
): Record<string, { achieved: boolean; why: string }> | undefined {
  const goals = (req.persona.goals ?? []).filter((g) => g.selfReport && g.calls.length);
  if (!goals.length) return undefined;
  const failed = new Map<string, boolean>();
  for (const m of req.messages) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result') failed.set(b.tool_use_id, !!b.is_error);
  }
  return Object.fromEntries(
    goals.map((g) => {
      const outcomes = g.calls.map((_, i) => failed.get(goalUseId(g.id, i)));
      const achieved = outcomes.every((f) => f === false);
      return [
        g.id,
        {
          achieved,
          why: achieved ? 'everything I tried for it worked' : 'something I tried for it did not work',
        },
      ];
    }),
  );
}
