// The layer rule (eslint.config.js `layers()`) fails on a deliberate violation of each floor, and lets
// the allowed imports through: a rule that could not fail would keep no layer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error -- eslint.config.js is plain JavaScript without declarations
import { layers } from '../../eslint.config.js';

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, layers()],
});

async function violations(file: string, from: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, {
    filePath: file,
  });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const cases: Array<[file: string, from: string, allowed: boolean]> = [
  ['workflows/probe.ts', '../schema/vocabulary.ts', true],
  ['workflows/probe.ts', './tick-contract.ts', true],
  ['workflows/probe.ts', '../lib/logger.ts', false],
  ['workflows/probe.ts', '../schema/personas.ts', false],
  ['workflows/probe.ts', '../mcp-gateway/app.ts', false],
  ['schema/vocabulary.ts', './personas.ts', false],
  ['schema/personas.ts', './vocabulary.ts', true],
  ['schema/personas.ts', '../lib/logger.ts', false],
  ['lib/probe.ts', '../workflows/tick-contract.ts', true],
  ['lib/probe.ts', '../workflows/persona-tick.ts', false],
  ['lib/probe.ts', '../activities/index.ts', false],
  ['activities/probe.ts', '../mcp-gateway/app.ts', false],
  ['activities/probe.ts', '../lib/logger.ts', true],
  ['mcp-gateway/probe.ts', '../workflows/tick-contract.ts', false],
  ['dashboard/probe.ts', '../activities/index.ts', false],
  ['workers/probe.ts', '../scripts/cli.ts', false],
  ['scripts/probe.ts', '../mcp-gateway/app.ts', true],
];

for (const [file, from, allowed] of cases) {
  test(`${file} ${allowed ? 'may' : 'may not'} import ${from}`, async () => {
    const found = await violations(file, from);
    if (allowed) assert.deepEqual(found, []);
    else
      assert.ok(
        found.some((m) => m.startsWith('import-x/no-restricted-paths')),
        `no violation reported: ${found.join('; ')}`,
      );
  });
}
