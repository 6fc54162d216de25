// Answers for the fake Messages API: building blocks for scripts, and a planned day computed from
// each request (what the benchmarks drive the real AnthropicProvider with).
import { isRatingRequest, type FakeStep, type RecordedRequest } from './fake-messages-api.ts';

export const toolUse = (id: string, name: string, input: Record<string, unknown>) => ({
  type: 'tool_use',
  id,
  name,
  input,
});
export const textBlock = (text: string) => ({ type: 'text', text });
export const endTurn = (text = 'Done for today.'): FakeStep => ({
  message: { content: [textBlock(text)], stop_reason: 'end_turn' },
});
export const toolTurn = (...uses: ReturnType<typeof toolUse>[]): FakeStep => ({
  message: { content: uses, stop_reason: 'tool_use' },
});
export const ratingTurn = (ratings: unknown): FakeStep => ({
  message: {
    content: [textBlock(typeof ratings === 'string' ? ratings : JSON.stringify(ratings))],
    stop_reason: 'end_turn',
  },
});

/** Usage the benchmarks report: a realistic main-turn size with most input read from the cache. */
export const BENCH_USAGE = {
  input_tokens: 1200,
  output_tokens: 120,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 900,
};

const TOOL_PLAN: Array<(n: number) => { name: string; input: Record<string, unknown> }> = [
  (n) => ({
    name: 'todo_create',
    input: { title: `Benchmark todo ${n}: call the dentist`, priority: 'high' },
  }),
  (n) => ({
    name: 'note_create',
    input: { title: `Bench note ${n}`, body: 'Meeting notes: ship the thing, then rest.', tags: ['bench'] },
  }),
  () => ({ name: 'todo_list', input: { status: 'open', limit: 20 } }),
  (n) => ({ name: 'habit_create', input: { name: `Stretch ${n}`, cadence: 'daily' } }),
  (n) => ({ name: 'journal_add', input: { body: `Day ${n}: a calm one, mostly.`, mood: 4 } }),
  () => ({ name: 'note_search', input: { query: 'meeting', limit: 5 } }),
  () => ({ name: 'habit_list', input: {} }),
];

/**
 * A planned day: `rounds` rounds of `parallel` tool calls over the gateway's tools, end_turn, then
 * the rating (structured JSON for exactly the modules asked).
 */
export function plannedAnswer(plan: {
  rounds: number;
  parallel: number;
}): (req: RecordedRequest) => FakeStep {
  let toolUseSeq = 0;
  return ({ body }) => {
    if (isRatingRequest({ body })) {
      const modules = body.output_config?.format?.schema?.required ?? [];
      return ratingTurn(Object.fromEntries(modules.map((m) => [m, { rating: 4, notes: 'quick and clear' }])));
    }
    const round = body.messages.filter((m) => m.role === 'assistant').length;
    if (round >= plan.rounds) return endTurn();
    return toolTurn(
      ...Array.from({ length: plan.parallel }, (_, i) => {
        const n = ++toolUseSeq;
        const { name, input } = TOOL_PLAN[(round * plan.parallel + i) % TOOL_PLAN.length]!(n);
        return toolUse(`toolu_bench_${n}`, name, input);
      }),
    );
  };
}
