import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { Ajv } from 'ajv';
import { NEUTRAL_PHRASES } from '../../activities/llm/scripted-phrases.ts';
import { fakeFilesProduct } from '../support/fake-files-product.ts';
import { fakeMemoryProduct } from '../support/fake-memory-product.ts';
import { asProductTools, playDay, type PlayedCall } from '../support/scripted-days.ts';

// The offline persona on products it was never written for: server-filesystem's and server-memory's
// own tool listings (captured from the real servers' tools/list), answered in those servers' words —
// a file system under one allowed directory (test/support/fake-files-product.ts) and a small graph.
const listing = (file: string) =>
  JSON.parse(readFileSync(`test/fixtures/upstreams/${file}.tools.json`, 'utf8')) as Tool[];
const tools = [
  ...asProductTools('files', listing('server-filesystem')),
  ...asProductTools('memory', listing('server-memory')),
];
const ajv = new Ajv({ strict: false });
const validators = new Map(tools.map((t) => [t.name, ajv.compile(t.inputSchema)]));
const ROOT = '/srv/personas/files/u-1';
const MIX = { files: 0.6, memory: 0.4 };

/** One day on fresh products (or on `products` carried over from earlier days). */
async function day(
  tick: string,
  opts: {
    seed?: string;
    archetype?: string;
    clumsiness?: number;
    products?: ReturnType<typeof products>;
  } = {},
) {
  const p = opts.products ?? products();
  const calls = await playDay({
    tools,
    moduleMix: MIX,
    seed: opts.seed ?? 'any-product',
    tick,
    clumsiness: opts.clumsiness ?? 0,
    ...(opts.archetype && { archetype: opts.archetype }),
    answer: async (name, input) => {
      // As the MCP SDK does on the servers: input that does not fit the schema is refused first.
      const validate = validators.get(name)!;
      if (!validate(input))
        return { isError: true, text: `MCP error -32602: ${ajv.errorsText(validate.errors)}` };
      const [product, tool] = name.split('__') as [string, string];
      return product === 'files' ? p.files.answer(tool, input) : p.memory(tool, input);
    },
  });
  return { calls, products: p };
}
const products = () => ({ files: fakeFilesProduct(ROOT), memory: fakeMemoryProduct() });

const DAYS = Array.from({ length: 30 }, (_, i) => `tick-${i}`);
const failed = (calls: PlayedCall[]) => calls.filter((c) => c.answer.isError);
const pathsIn = (input: unknown): string[] =>
  Object.entries(input as Record<string, unknown>).flatMap(([k, v]) =>
    /^(path|paths|source|destination)$/.test(k) ? [v].flat().map(String) : [],
  );

test('before acting it reads what it can: its first calls are read-only tools that need no input', async () => {
  for (const tick of DAYS) {
    const { calls } = await day(tick);
    assert.deepEqual(
      calls.slice(0, 2).map((c) => c.name),
      ['files__list_allowed_directories', 'memory__read_graph'],
      tick,
    );
    assert.ok(calls.length > 2, `${tick}: it does something after looking`);
  }
});

test('paths come from the allowed directory the product named; every file it reads is one it wrote or was shown', async () => {
  let paths = 0;
  for (const tick of DAYS) {
    const { calls } = await day(tick);
    for (const c of calls) {
      for (const p of pathsIn(c.input)) {
        paths++;
        assert.ok(p === ROOT || p.startsWith(`${ROOT}/`), `${tick}: ${c.name} ${p}`);
      }
    }
    // Nothing it asked the file system for was missing: no ENOENT, no directory read as a file.
    assert.deepEqual(failed(calls), [], tick);
  }
  assert.ok(paths > 40, `only ${paths} paths used`);
});

test('it creates before it reads back what it created', async () => {
  let readBacks = 0;
  for (const tick of DAYS) {
    const { calls } = await day(tick);
    const written = new Set<string>();
    for (const c of calls) {
      const [p] = pathsIn(c.input);
      if (c.name === 'files__write_file' && !c.answer.isError) written.add(p!);
      if (/files__(read_(text_|media_)?file|get_file_info|read_multiple_files)/.test(c.name)) {
        assert.ok(
          written.has(p!),
          `${tick}: read ${p} before writing it (${JSON.stringify(calls.map((x) => x.name))})`,
        );
        readBacks++;
      }
      if (c.name === 'memory__add_observations') {
        const names = (c.input.observations as Array<{ entityName: string }>).map((o) => o.entityName);
        const created = calls
          .slice(0, calls.indexOf(c))
          .flatMap((x) =>
            x.name === 'memory__create_entities' ? (x.input.entities as { name: string }[]) : [],
          )
          .map((e) => e.name);
        for (const n of names)
          assert.ok(created.includes(n), `${tick}: observations for ${n} before creating it`);
      }
    }
  }
  assert.ok(readBacks >= 5, `only ${readBacks} read-backs in ${DAYS.length} days`);
});

test('it refers to what the product showed on earlier days too (the graph it read, the files listed)', async () => {
  const kept = products();
  const all: PlayedCall[] = [];
  for (const tick of DAYS.slice(0, 10)) all.push(...(await day(tick, { products: kept })).calls);
  assert.deepEqual(failed(all), []);
  const observed = all.filter(
    (c) => c.name === 'memory__add_observations' || c.name === 'memory__open_nodes',
  );
  assert.ok(observed.length > 0, 'it refers to entities by name');
});

test('required fields are always sent, and every input fits the tool’s own schema', async () => {
  for (const tick of DAYS) {
    for (const c of (await day(tick)).calls) {
      const validate = validators.get(c.name)!;
      assert.ok(
        validate(c.input),
        `${c.name} ${JSON.stringify(c.input)}: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }
});

test('now and then a deliberate slip (a required field left out), at a small seeded rate', async () => {
  const calls: PlayedCall[] = [];
  for (const tick of DAYS) calls.push(...(await day(tick, { clumsiness: 0.05 })).calls);
  const slips = calls.filter((c) => {
    const required = (tools.find((t) => t.name === c.name)!.inputSchema.required ?? []) as string[];
    return required.some((r) => !(r in c.input));
  });
  assert.ok(
    slips.length >= 1 && slips.length <= calls.length * 0.12,
    `${slips.length} slips in ${calls.length}`,
  );
  // Its slips are the only failures: everything else it asked for was there.
  assert.deepEqual(
    failed(calls).filter((c) => !slips.includes(c)),
    [],
  );
});

test('deterministic by seed: the same seed lives the same day, another seed another', async () => {
  const a = await day('tick-7', { seed: 's1' });
  const b = await day('tick-7', { seed: 's1' });
  const c = await day('tick-7', { seed: 's2' });
  assert.deepEqual(a.calls, b.calls);
  assert.notDeepEqual(a.calls, c.calls);
});

test('an archetype it does not know (free text in the catalog) gets the neutral voice', async () => {
  for (const archetype of ['archivist', 'field-nurse', 'constructor', '__proto__']) {
    const { calls } = await day('tick-3', { archetype });
    assert.ok(calls.length > 2, archetype);
    const text = JSON.stringify(calls.map((c) => c.input));
    assert.ok(
      NEUTRAL_PHRASES.some((p) => text.includes(p) || text.includes(p.replace(/ /g, '-'))),
      `${archetype}: ${text}`,
    );
  }
});

test('ids are shared by the modules of one product; names never cross products', async () => {
  // A tracker split into two modules: a comment needs the id of an issue the other module made.
  const tracker: Tool[] = [
    {
      name: 'tracker__create_issue',
      inputSchema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
      annotations: { readOnlyHint: false },
      _meta: { module: 'issues' },
    },
    {
      name: 'tracker__add_comment',
      inputSchema: {
        type: 'object',
        required: ['issue_id', 'body'],
        properties: { issue_id: { type: 'string' }, body: { type: 'string' } },
      },
      annotations: { readOnlyHint: false },
      _meta: { module: 'comments' },
    },
  ];
  const issues: string[] = [];
  const commented: string[] = [];
  for (const tick of DAYS.slice(0, 10)) {
    await playDay({
      tools: [...tools, ...tracker],
      moduleMix: { issues: 0.3, comments: 0.3, memory: 0.4 },
      seed: 'tracker',
      tick,
      clumsiness: 0,
      answer: async (name, input) => {
        if (name === 'tracker__create_issue') {
          issues.push(`issue-${issues.length + 1}`);
          return {
            isError: false,
            text: JSON.stringify({ issue: { id: issues.at(-1), title: input.title } }),
          };
        }
        if (name === 'tracker__add_comment') {
          commented.push(String(input.issue_id));
          return { isError: false, text: '{"ok":true}' };
        }
        return fakeMemoryProduct()(name.split('__')[1]!, input);
      },
    });
  }
  assert.ok(commented.length > 0, 'it commented on an issue');
  for (const id of commented) assert.ok(issues.includes(id), `comment on ${id}, which it never saw`);
});
