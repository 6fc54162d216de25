import type Anthropic from '@anthropic-ai/sdk';
import { goalToolUses } from './scripted-goals.ts';
import { memoryOf } from './scripted-memory.ts';
import { candidatesFor, firstLooks, planCall, startsWithALook, type PlannedCall } from './scripted-plan.ts';
import { SeededRandom } from './seeded-random.ts';
import { scriptedRatings } from './scripted-rating.ts';
import type { ContentBlock, LlmProvider, LlmRequest, LlmResponse } from './types.ts';

export const SCRIPTED_MODEL = 'scripted-v1';

const estimateTokens = (v: unknown) => Math.ceil(JSON.stringify(v).length / 4);

/**
 * The offline persona simulator: deterministic for a seed, no network. It looks around first, then
 * picks tools by the persona's module mix (scripted-plan.ts), fills inputs from what the product
 * showed it and the tools' JSON schemas (now and then clumsily, as people do), ends its day after a
 * few rounds, and rates modules from what it experienced.
 */
export class ScriptedProvider implements LlmProvider {
  readonly kind = 'scripted' as const;
  readonly model = SCRIPTED_MODEL;

  constructor(
    private readonly opts: { seed: string; clumsiness?: number; today?: () => string } = { seed: 'scripted' },
  ) {}

  async createMessage(req: LlmRequest): Promise<LlmResponse> {
    const content = req.purpose === 'rating' ? this.rate(req) : this.act(req);
    const stopReason = content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
    return {
      content,
      stopReason,
      usage: {
        input: estimateTokens([req.system, req.messages, req.tools]),
        output: estimateTokens(content),
        cacheWrite: 0,
        cacheRead: 0,
      },
    };
  }

  private act(req: LlmRequest): ContentBlock[] {
    const { archetype, moduleMix } = req.persona;
    const round = req.messages.filter((m) => m.role === 'assistant').length;
    // First thing in its day, what it set out to do (activities/llm/scripted-goals.ts).
    const goalUses = goalToolUses(req);
    if (round === 0 && goalUses.length) return [text(`(${archetype}) First, what I came for.`), ...goalUses];
    const candidates = candidatesFor(req);
    const looks = startsWithALook(candidates);
    const dayRng = new SeededRandom(`${this.opts.seed}:${req.seed}`);
    // A day that starts with a look around keeps at least two rounds for doing something.
    const plannedRounds = Math.max(dayRng.int(2, 5), looks ? 3 : 0);
    if (round >= plannedRounds || !req.tools?.length) {
      return [text(`That's enough for today. (${round} rounds — scripted persona ${archetype})`)];
    }
    const memory = memoryOf(req.messages, req.persona.toolHints);
    const idSeed = `${req.seed}-${round}`;
    // Before acting, a look at what is there (right after the goals' round when there are goals).
    if (round === (goalUses.length ? 1 : 0) && looks) {
      const first = firstLooks(candidates, memory, moduleMix);
      if (first.length) return [text(`(${archetype}) Let me look around first.`), ...toolUses(first, idSeed)];
    }
    const rnd = new SeededRandom(`${this.opts.seed}:${req.seed}:${round}`);
    const today = this.opts.today?.() ?? new Date().toISOString().slice(0, 10);
    const planned: PlannedCall[] = [];
    for (let i = rnd.chance(0.3) ? 2 : 1; i > 0; i--) {
      const call = planCall(candidates, moduleMix, memory, { rnd, archetype, today });
      if (!call) continue;
      // People make mistakes: now and then a required field is left out.
      const required = (req.tools.find((t) => t.name === call.name)?.input_schema.required ?? []) as string[];
      if (required.length && rnd.chance(this.opts.clumsiness ?? 0.05)) delete call.input[rnd.pick(required)];
      planned.push(call);
    }
    return planned.length
      ? [text(`(${archetype}) Let me get on with it.`), ...toolUses(planned, idSeed)]
      : [text('Nothing useful to do right now.')];
  }

  /** Ratings from what the persona lived through (activities/llm/scripted-rating.ts). */
  private rate(req: LlmRequest): ContentBlock[] {
    return [text(scriptedRatings(req, this.opts.seed))];
  }
}

function text(t: string): ContentBlock {
  return { type: 'text', text: t, citations: null } as Anthropic.Messages.TextBlock;
}

function toolUses(calls: PlannedCall[], idSeed: string): ContentBlock[] {
  return calls.map(
    (c, i) =>
      ({
        type: 'tool_use',
        id: `toolu_scripted_${new SeededRandom(`${idSeed}-${i}:0`).next().toString(36).slice(2, 14)}`,
        name: c.name,
        input: c.input,
      }) as ContentBlock,
  );
}
