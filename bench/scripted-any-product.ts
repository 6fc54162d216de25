// How sensibly the offline (scripted) persona uses products it was never written for: the share of
// its calls that succeed on the real server-filesystem and server-memory, over stdio, without the
// gateway (a rate, not a time: the machine's load does not change it).
//
//   node --import tsx bench/scripted-any-product.ts           4 archetypes × 10 days (~30 s)
//   node --import tsx bench/scripted-any-product.ts --quick   4 archetypes × 2 days (writes a git-ignored .tmp.json)
//   options: --days N --out FILE
//
// Each archetype lives its days on products of its own (a fresh directory and memory file), so later
// days meet what earlier ones left, as a persona's ticks do. Failures are split into the persona's
// deliberate slips (a required field left out, 5 % of calls) and the rest (calls that made no sense).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { asProductTools, playDay, type PlayedCall } from '../test/support/scripted-days.ts';
import { benchFlags, intFlag } from './settings.ts';
import { fmt, gitInfo, machineInfo, table, writeResults } from './bench-report.ts';

const SERVERS = {
  files: path.resolve('node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'),
  memory: path.resolve('node_modules/@modelcontextprotocol/server-memory/dist/index.js'),
};
const ARCHETYPES = ['researcher', 'creative-parent', 'solo-dev', 'archivist'];
const MIX = { files: 0.6, memory: 0.4 };

async function connect(args: string[], env: Record<string, string> = {}) {
  const client = new Client({ name: 'bench-scripted-any-product', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args,
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'ignore',
    }),
  );
  return client;
}

/** One archetype's days on products of its own. */
async function liveDays(archetype: string, days: number, dir: string): Promise<PlayedCall[]> {
  const work = path.join(dir, archetype, 'files');
  await fs.mkdir(work, { recursive: true });
  const clients = {
    files: await connect([SERVERS.files, work]),
    memory: await connect([SERVERS.memory], { MEMORY_FILE_PATH: path.join(dir, archetype, 'memory.jsonl') }),
  };
  try {
    const tools: Tool[] = [];
    for (const [name, c] of Object.entries(clients))
      tools.push(...asProductTools(name, (await c.listTools()).tools));
    const calls: PlayedCall[] = [];
    for (let d = 0; d < days; d++) {
      calls.push(
        ...(await playDay({
          tools,
          moduleMix: MIX,
          seed: `bench-${archetype}`,
          tick: `day-${d}`,
          archetype,
          answer: async (name, input) => {
            const [product, tool] = name.split('__') as [keyof typeof clients, string];
            try {
              const r = await clients[product].callTool({ name: tool, arguments: input });
              const text = (r.content as Array<{ type: string; text?: string }>)
                .map((c) => c.text ?? `[${c.type}]`)
                .join('\n');
              return { isError: r.isError === true, text };
            } catch (err) {
              return { isError: true, text: (err as Error).message };
            }
          },
        })),
      );
    }
    return calls;
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.close()));
  }
}

const isSlip = (tools: Tool[], c: PlayedCall) =>
  ((tools.find((t) => t.name === c.name)?.inputSchema.required ?? []) as string[]).some(
    (r) => !(r in c.input),
  );

async function main() {
  const flags = benchFlags(process.argv.slice(2), { days: { type: 'string' } });
  const days = intFlag(flags.days, flags.quick ? 2 : 10, 'days', 1, 100);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-any-product-'));
  try {
    const listing = [
      ...asProductTools(
        'files',
        JSON.parse(
          await fs.readFile('test/fixtures/upstreams/server-filesystem.tools.json', 'utf8'),
        ) as Tool[],
      ),
      ...asProductTools(
        'memory',
        JSON.parse(await fs.readFile('test/fixtures/upstreams/server-memory.tools.json', 'utf8')) as Tool[],
      ),
    ];
    const rows = [];
    for (const archetype of ARCHETYPES) {
      const calls = await liveDays(archetype, days, dir);
      const failed = calls.filter((c) => c.answer.isError);
      const slips = failed.filter((c) => isSlip(listing, c));
      rows.push({
        archetype,
        calls: calls.length,
        ok: calls.length - failed.length,
        slips: slips.length,
        otherFailures: failed
          .filter((c) => !slips.includes(c))
          .map((c) => `${c.name}: ${c.answer.text.slice(0, 160)}`),
      });
    }
    const total = rows.reduce((s, r) => s + r.calls, 0);
    const ok = rows.reduce((s, r) => s + r.ok, 0);
    console.log(
      table(
        ['archetype', 'calls', 'ok', 'slips', 'other failures', 'success'],
        rows.map((r) => [
          r.archetype,
          fmt(r.calls),
          fmt(r.ok),
          fmt(r.slips),
          fmt(r.otherFailures.length),
          `${fmt((100 * r.ok) / r.calls, 1)} %`,
        ]),
      ),
    );
    console.log(`\nall: ${ok}/${total} calls succeeded (${fmt((100 * ok) / total, 1)} %)`);
    for (const r of rows) for (const f of r.otherFailures) console.log(`  ${r.archetype}: ${f}`);
    const file = writeResults(
      'scripted-any-product',
      flags.quick,
      {
        machine: machineInfo(),
        git: gitInfo(['activities/llm']),
        days,
        mix: MIX,
        successRate: ok / total,
        rows,
      },
      flags.out,
    );
    console.log(`results: ${file}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
