import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../scripts/cli.ts';
import { runCli } from '../support/cli.ts';

// Every command the CLI must offer (a command removed or renamed fails here), with its subcommands.
const EXPECTED = {
  seed: [],
  cleanup: [],
  schedules: ['sync', 'list'],
  tick: [],
  pause: [],
  resume: [],
  up: [],
  dashboard: [],
  gateway: [],
  worker: [],
  token: [],
  migrate: [],
  replay: [],
  run: [],
  compare: [],
  campaigns: ['list'],
  report: [],
  audit: ['encrypted-tools'],
  products: [],
  init: [],
  doctor: [],
} satisfies Record<string, string[]>;

const allCommands = (c: Command): Command[] => [c, ...c.commands.flatMap(allCommands)];
/** Every command path of the program, e.g. ['schedules', 'sync']. */
const commandPaths = (c: Command, prefix: string[] = []): string[][] =>
  c.commands.flatMap((sub) => [[...prefix, sub.name()], ...commandPaths(sub, [...prefix, sub.name()])]);

/** `personas <path> --help` parsed in process, with output captured instead of printed. */
async function helpOf(path: string[]): Promise<{ error: CommanderError; out: string }> {
  const program = buildProgram();
  let out = '';
  for (const c of allCommands(program))
    c.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (out += s) });
  try {
    await program.parseAsync(['node', 'personas', ...path, '--help']);
  } catch (err) {
    assert.ok(err instanceof CommanderError, `${path.join(' ')} --help threw ${String(err)}`);
    return { error: err, out };
  }
  assert.fail(`${path.join(' ')} --help ran the command instead of showing help`);
}

describe('`personas --help` and every command’s --help', () => {
  test('the program has exactly the expected commands and subcommands', () => {
    const program = buildProgram();
    assert.deepEqual(
      commandPaths(program)
        .map((p) => p.join(' '))
        .sort(),
      Object.entries(EXPECTED)
        .flatMap(([name, subs]) => [name, ...subs.map((s) => `${name} ${s}`)])
        .sort(),
    );
    for (const c of allCommands(program).slice(1)) assert.ok(c.description().length > 10, c.name());
  });

  test('`personas --help` (the real CLI) exits 0 and lists every command', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: personas \[options\] \[command\]/);
    for (const name of Object.keys(EXPECTED))
      assert.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'), `${name} missing from:\n${r.stdout}`);
  });

  for (const path of Object.entries(EXPECTED).flatMap(([name, subs]) => [
    [name],
    ...subs.map((s) => [name, s]),
  ])) {
    test(`\`personas ${path.join(' ')} --help\` shows a usage line and exits 0`, async () => {
      const { error, out } = await helpOf(path);
      assert.equal(error.code, 'commander.helpDisplayed');
      assert.equal(error.exitCode, 0);
      assert.match(out, new RegExp(`^Usage: personas ${path.join(' ')}\\b`));
      assert.match(out, /--help +display help for command/);
    });
  }

  test('a subcommand’s --help through the real CLI exits 0', async () => {
    const r = await runCli(['schedules', 'sync', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: personas schedules sync \[options\]/);
    assert.match(r.stdout, /--dry-run/);
  });
});

describe('usage and configuration errors exit 2 and say what is wrong', () => {
  test('an unknown command', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
    assert.equal(r.stdout, '');
  });

  test('a missing argument', async () => {
    const r = await runCli(['token']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /missing required argument 'email'/);
    assert.equal(r.stdout, '');
  });

  test('a bad option value names the option', async () => {
    const r = await runCli(['seed', '--concurrency', '0']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /option '--concurrency <n>' argument '0' is invalid\. expected a whole number from 1 to 64/,
    );
    assert.equal(r.stdout, '');
  });

  test('a malformed environment variable names the variable (token)', async () => {
    const r = await runCli(['token', 'x@example.com'], { POLICY_MODE: 'strict' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /POLICY_MODE \("strict"\): expected one of off \| log-only \| enforce/);
    assert.equal(r.stdout, '', 'no token is printed');
  });

  test('a malformed environment variable names the variable (a database command)', async () => {
    const r = await runCli(['seed', '--dry-run'], { LLM_PROVIDER: 'magic' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /LLM_PROVIDER \("magic"\): expected auto \| anthropic \| scripted/);
    assert.equal(r.stdout, '');
  });
});
