import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScriptedProvider } from '../../activities/llm/scripted-provider.ts';
import { ToolNameMap, toClaudeTools, toolModules } from '../../activities/llm/tool-names.ts';
import type { ContentBlock, LlmRequest, MessageParam } from '../../activities/llm/types.ts';
import { ratingPrompt } from '../../activities/prompts.ts';
import { parseRatings } from '../../activities/rating-parse.ts';
import { toMcpTool } from '../../mcp-gateway/mcp/tool-listing.ts';
import { toolRegistry, toolsByName } from '../../mcp-gateway/tools/index.ts';

// The tool catalog exactly as a persona's worker sees it: the gateway's non-admin listing, mapped
// to Claude tool definitions (what activities/tick/tool-catalog.ts does over MCP).
const listing = toolRegistry.filter((t) => t.scope !== 'admin').map(toMcpTool);
const names = new ToolNameMap(listing.map((t) => t.name));
const tools = toClaudeTools(listing, names);
const modules = toolModules(listing, names);
const TODAY = '2026-03-14';

const PERSONA: LlmRequest['persona'] = {
  personaId: 'p-1',
  archetype: 'solo-dev',
  moduleMix: { todos: 0.5, notes: 0.5 },
  toolModules: modules,
};

function request(overrides: Partial<LlmRequest> & { messages: MessageParam[] }): LlmRequest {
  return {
    system: 'You are Sam.',
    tools,
    maxTokens: 1024,
    purpose: 'main',
    persona: PERSONA,
    seed: 'tick-1',
    ...overrides,
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Plays a whole main turn against the simulator, answering every tool call with a JSON result carrying a fresh id. */
async function day(
  provider: ScriptedProvider,
  persona: Partial<LlmRequest['persona']> = {},
  seed = 'tick-1',
) {
  const messages: MessageParam[] = [{ role: 'user', content: 'Live your day.' }];
  const turns: Array<{ content: ContentBlock[]; stopReason: string | null }> = [];
  let ids = 0;
  for (let round = 0; round < 10; round++) {
    const res = await provider.createMessage(
      request({ messages: structuredClone(messages), seed, persona: { ...PERSONA, ...persona } }),
    );
    turns.push({ content: res.content, stopReason: res.stopReason });
    const uses = res.content.filter((b) => b.type === 'tool_use');
    if (res.stopReason !== 'tool_use') break;
    messages.push({ role: 'assistant', content: res.content as MessageParam['content'] });
    messages.push({
      role: 'user',
      content: uses.map((u) => {
        const owner = (modules[u.name] ?? 'thing').replace(/s$/, '');
        return {
          type: 'tool_result' as const,
          tool_use_id: u.id,
          content: JSON.stringify({ [owner]: { id: uuid(++ids) } }),
        };
      }),
    });
  }
  return { turns, uses: turns.flatMap((t) => t.content.filter((b) => b.type === 'tool_use')) };
}

test('same seed and same conversation give identical output', async () => {
  const a = await day(new ScriptedProvider({ seed: 's1', today: () => TODAY }));
  const b = await day(new ScriptedProvider({ seed: 's1', today: () => TODAY }));
  assert.ok(a.uses.length > 0);
  assert.deepEqual(a, b);
});

test('different seeds give different days', async () => {
  const a = await day(new ScriptedProvider({ seed: 's1', today: () => TODAY }));
  const b = await day(new ScriptedProvider({ seed: 's2', today: () => TODAY }));
  const c = await day(new ScriptedProvider({ seed: 's1', today: () => TODAY }), {}, 'tick-2');
  assert.notDeepEqual(a.uses, b.uses, 'provider seed');
  assert.notDeepEqual(a.uses, c.uses, 'tick seed');
});

test('it only picks tools of the persona’s modules, never destructive ones, with inputs the tools accept', async () => {
  const provider = new ScriptedProvider({ seed: 'mix', clumsiness: 0, today: () => TODAY });
  let calls = 0;
  const mixes: Array<Record<string, number>> = [
    { todos: 1 },
    { notes: 0.5, journal: 0.5 },
    { habits: 0.7, todos: 0.3 },
  ];
  for (const mix of mixes) {
    for (let i = 0; i < 15; i++) {
      const { uses } = await day(provider, { moduleMix: mix }, `tick-${i}`);
      for (const u of uses) {
        calls++;
        assert.ok(u.type === 'tool_use');
        assert.ok(modules[u.name]! in mix, `${u.name} (${modules[u.name]}) is not in ${JSON.stringify(mix)}`);
        assert.doesNotMatch(u.name, /delete|admin/);
        const spec = toolsByName.get(names.mcpName(u.name)!)!;
        // Inputs follow the tool's JSON schema. Cross-field rules the schema cannot express (zod
        // refinements, e.g. habit_update needs one field to change) may be missed, as a person might.
        const issues = spec.input.safeParse(u.input).error?.issues.filter((i) => i.code !== 'custom') ?? [];
        assert.deepEqual(issues, [], `${u.name} ${JSON.stringify(u.input)}`);
      }
    }
  }
  assert.ok(calls > 30, `only ${calls} tool calls simulated`);
});

test('it ends its day within a few rounds, with a closing text and no tool call', async () => {
  for (let i = 0; i < 20; i++) {
    const { turns } = await day(new ScriptedProvider({ seed: `end-${i}`, today: () => TODAY }));
    const last = turns.at(-1)!;
    assert.equal(last.stopReason, 'end_turn');
    assert.ok(turns.length <= 6, `${turns.length} model calls`);
    assert.equal(
      last.content.some((b) => b.type === 'tool_use'),
      false,
    );
    assert.ok(last.content.some((b) => b.type === 'text' && b.text.length > 0));
  }
});

test('its rating answer parses, rates every module asked for, and rates errors down', async () => {
  const rated = ['notes', 'todos'];
  const actions = [
    { module: 'todos', toolName: 'todo_create', outcome: 'ok' },
    { module: 'todos', toolName: 'todo_list', outcome: 'ok' },
    { module: 'notes', toolName: 'note_create', outcome: 'error', errorClass: 'product' },
    { module: 'notes', toolName: 'note_create', outcome: 'error', errorClass: 'product' },
    { module: 'notes', toolName: 'note_search', outcome: 'error', errorClass: 'product' },
  ];
  for (let i = 0; i < 10; i++) {
    const res = await new ScriptedProvider({ seed: `rate-${i}` }).createMessage(
      request({
        purpose: 'rating',
        tools: undefined,
        messages: [{ role: 'user', content: ratingPrompt(rated, actions) }],
      }),
    );
    assert.equal(res.stopReason, 'end_turn');
    const text = res.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const parsed = parseRatings(text, rated);
    assert.ok(parsed.kind === 'ok', text);
    assert.deepEqual(parsed.missing, []);
    assert.ok(parsed.ratings.todos!.rating >= 4, text);
    assert.ok(parsed.ratings.notes!.rating <= 2, text);
    assert.match(parsed.ratings.notes!.notes ?? '', /error/);
  }
});
