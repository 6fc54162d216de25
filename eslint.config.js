// Lint = correctness rules that tsc cannot see: unawaited promises, type-only imports, import cycles,
// and the layers: which runtime folder may import which (README "Layout").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.venv/**', 'schema/migrations/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  layers(),
  {
    // Workflow code runs in Temporal's deterministic sandbox: no node built-ins (the bundler would
    // fail the worker at start; this fails `npm run check` first), and activities only as types.
    files: ['workflows/**/*.ts'],
    rules: {
      'import-x/no-nodejs-modules': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'workflows import activities as types only (proxyActivities<typeof …>)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

/**
 * The layers, as import-x zones (target may not import from), floor by floor (docs/ARCHITECTURE.md):
 *   schema/vocabulary.ts         the database's words; imports nothing
 *   schema/                      drizzle tables; imports only schema/
 *   workflows/                   workflow code + its contracts; imports only workflows/ and schema/vocabulary.ts
 *   lib/                         shared infrastructure and domain; no runtime folder (only the contracts)
 *   activities/, mcp-gateway/,   runtimes; each imports lib/, schema/, the contracts — never another runtime
 *   dashboard/
 *   workers/                     wires activities + lib into a worker
 *   scripts/, bench/, test/      the CLI and the harness: anything
 */
export function layers() {
  const runtimes = ['activities', 'mcp-gateway', 'dashboard', 'workers', 'scripts', 'bench', 'test'];
  const contracts = [
    './tick-contract.ts',
    './tick-steps-contract.ts',
    './tick-web-ui.ts',
    './purge-contract.ts',
    './campaign-contract.ts',
    './slot-contract.ts',
    './failures.ts',
    './input-checks.ts',
  ];
  const onlyContract = { from: './workflows', except: contracts };
  const zone = (target, from, message) => ({
    target: `./${target}`,
    from: from.map((f) => `./${f}`),
    message,
  });
  const onlyVocabulary = 'workflow code imports only workflows/ and schema/vocabulary.ts';
  const zones = [
    zone(
      'schema/vocabulary.ts',
      ['schema', 'lib', 'workflows', ...runtimes],
      'schema/vocabulary.ts imports nothing: the workflow bundle takes it as it is',
    ),
    zone(
      'workflows',
      ['lib', 'mcp-gateway', 'dashboard', 'workers', 'scripts', 'bench', 'test'],
      onlyVocabulary,
    ),
    { target: './workflows', from: './schema', except: ['./vocabulary.ts'], message: onlyVocabulary },
    zone('schema', ['lib', 'workflows', ...runtimes], 'schema/ imports only schema/'),
    zone('lib', runtimes, 'lib/ is shared by every runtime and imports none of them'),
    { target: './lib', ...onlyContract, message: 'lib/ imports only the workflow contracts from workflows/' },
    zone(
      'activities',
      runtimes.filter((r) => r !== 'activities'),
      'activities import lib/, schema/ and the contracts, no other runtime',
    ),
    {
      target: './activities',
      ...onlyContract,
      message: 'activities import only the workflow contracts from workflows/',
    },
    zone(
      'mcp-gateway',
      ['workflows', ...runtimes.filter((r) => r !== 'mcp-gateway')],
      'the gateway imports lib/ and schema/, no other runtime',
    ),
    zone(
      'dashboard',
      ['workflows', ...runtimes.filter((r) => r !== 'dashboard')],
      'the dashboard imports lib/ and schema/, no other runtime',
    ),
    zone(
      'workers',
      ['mcp-gateway', 'dashboard', 'scripts', 'bench', 'test'],
      'workers wire activities and lib/; they never import the CLI, gateway or dashboard',
    ),
    {
      target: './workers',
      ...onlyContract,
      message: 'workers import workflow code only through the bundle (and the contracts)',
    },
  ];
  return {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  };
}
