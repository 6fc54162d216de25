import type Anthropic from '@anthropic-ai/sdk';
import { goalToolUses } from './scripted-goals.ts';
import { buildArguments, type KnownIds } from './scripted-inputs.ts';
import { SeededRandom } from './seeded-random.ts';
import { scriptedRatings } from './scripted-rating.ts';
import type { ContentBlock, LlmProvider, LlmRequest, LlmResponse, MessageParam } from './types.ts';

export const SCRIPTED_MODEL = 'scripted-v1';

/** Collects ids from earlier tool results: `{"todo":{"id":…}}` → todo_id, `{"habits":[{"id":…}]}` → habit_id. */
function knownIds(messages: MessageParam[]): KnownIds {
  const known: KnownIds = {};
  const visit = (v: unknown, owner: string | undefined): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, owner));
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'id' && typeof x === 'string' && owner) (known[`${owner}_id`] ??= []).push(x);
      // Names of things (an unknown product's entities) are remembered too, to refer to them later.
      else if (k === 'name' && typeof x === 'string' && x.length <= 200) (known.name ??= []).push(x);
      else visit(x, k.replace(/(es|s)$/, '').replace(/^entrie$/, 'entry'));
    }
  };
  for (const m of messages) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    for (const block of m.content) {
      if (block.type !== 'tool_result' || block.is_error) continue;
      const texts =
        typeof block.content === 'string'
          ? [block.content]
          : (block.content ?? []).flatMap((c) => (c.type === 'text' ? [c.text] : []));
      for (const t of texts) {
        try {
          visit(JSON.parse(t), undefined);
        } catch {
          // not JSON: nothing to learn
        }
      }
    }
  }
  return known;
}

const estimateTokens = (v: unknown) => Math.ceil(JSON.stringify(v).length / 4);

/**
 * The offline persona simulator: deterministic for a seed, no network. It picks tools by the
 * persona's module mix, fills inputs from the tools' JSON schemas (now and then clumsily, as
 * people do), ends its day after a few rounds, and rates modules from what it experienced.
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
    const round = req.messages.filter((m) => m.role === 'assistant').length;
    // First thing in its day, what it set out to do (activities/llm/scripted-goals.ts).
    const goalUses = round === 0 ? goalToolUses(req) : [];
    if (goalUses.length) return [text(`(${req.persona.archetype}) First, what I came for.`), ...goalUses];
    const dayRng = new SeededRandom(`${this.opts.seed}:${req.seed}`);
    const plannedRounds = dayRng.int(2, 5);
    if (round >= plannedRounds || !req.tools?.length) {
      return [text(`That's enough for today. (${round} rounds — scripted persona ${req.persona.archetype})`)];
    }
    const rnd = new SeededRandom(`${this.opts.seed}:${req.seed}:${round}`);
    const known = knownIds(req.messages);
    const today = this.opts.today?.() ?? new Date().toISOString().slice(0, 10);
    const calls = rnd.chance(0.3) ? 2 : 1;
    const blocks: ContentBlock[] = [text(`(${req.persona.archetype}) Let me get on with it.`)];
    for (let i = 0; i < calls; i++) {
      const use = this.pickToolUse(req, rnd, known, today, `${req.seed}-${round}-${i}`);
      if (use) blocks.push(use);
    }
    return blocks.length > 1 ? blocks : [text('Nothing useful to do right now.')];
  }

  private pickToolUse(
    req: LlmRequest,
    rnd: SeededRandom,
    known: KnownIds,
    today: string,
    idSeed: string,
  ): ContentBlock | undefined {
    const tools = req.tools!;
    for (let attempt = 0; attempt < 6; attempt++) {
      const module = rnd.weighted(req.persona.moduleMix);
      const candidates = tools.filter(
        (t) => req.persona.toolModules[t.name] === module && !/delete|admin/.test(t.name),
      );
      if (!candidates.length) continue;
      const tool = rnd.pick(candidates);
      const args = buildArguments(tool.input_schema as never, rnd, req.persona.archetype, known, today);
      if (!args) continue;
      // People make mistakes: now and then a required field is left out.
      const required = (tool.input_schema as { required?: string[] }).required ?? [];
      if (required.length && rnd.chance(this.opts.clumsiness ?? 0.05)) delete args[rnd.pick(required)];
      const id = `toolu_scripted_${createId(idSeed, attempt)}`;
      return { type: 'tool_use', id, name: tool.name, input: args } as ContentBlock;
    }
    return undefined;
  }

  /** Ratings from what the persona lived through (activities/llm/scripted-rating.ts). */
  private rate(req: LlmRequest): ContentBlock[] {
    return [text(scriptedRatings(req, this.opts.seed))];
  }
}

function text(t: string): ContentBlock {
  return { type: 'text', text: t, citations: null } as Anthropic.Messages.TextBlock;
}

function createId(seed: string, attempt: number): string {
  return new SeededRandom(`${seed}:${attempt}`).next().toString(36).slice(2, 14);
}
