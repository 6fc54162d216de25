// Every command checks its flags, catalog, products file and persona selection before it starts
// anything (issue 24): bad input exits 2 with a message, and no Postgres is started — the data dir
// stays without a postgres/ directory, and commands that would read the database are pointed at an
// unreachable one (reaching it would fail with exit 1 and "cannot reach Postgres").
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import pc from 'picocolors';
import { colourFor } from '../../lib/terminal/colour.ts';
import { colourVerdicts } from '../../scripts/commands/output.ts';
import { REPO_ROOT, runCli, tempDir } from '../support/cli.ts';

const files = await tempDir();
/** The embedded defaults: no DATABASE_URL, no TEMPORAL_ADDRESS, a data dir of our own. */
const embedded = { DATABASE_URL: undefined, TEMPORAL_ADDRESS: undefined, PERSONA_DATA_DIR: files.dir };
const nothingStarted = () =>
  assert.ok(!existsSync(path.join(files.dir, 'postgres')), 'an embedded Postgres was started');

const brokenCatalog = await files.write('broken-catalog.json', '{\n  "version": 1,\n  "personas": [,]\n}\n');
const brokenProducts = await files.write('broken-products.json', '{"products": [\n  {"name": x}\n]}\n');

describe('run refuses bad input before the stack', () => {
  test('--detach without TEMPORAL_ADDRESS', async () => {
    const r = await runCli(['run', '--detach'], embedded);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^--detach needs TEMPORAL_ADDRESS/);
    assert.doesNotMatch(r.stderr, /starting Postgres/);
    nothingStarted();
  });

  test('--persona with an email the catalog does not have (and the closest one)', async () => {
    const r = await runCli(['run', '--persona', 'nobody@x.test'], embedded);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^--persona nobody@x\.test: no such persona in .*catalog\.json \(it has maya\.adhd@personas\.test/,
    );
    const typo = await runCli(['run', '--persona', 'maya.adhd@persona.test'], embedded);
    assert.equal(typo.code, 2, typo.stderr);
    assert.match(typo.stderr, /: did you mean "maya\.adhd@personas\.test"\?\n$/);
    nothingStarted();
  });

  test('a broken catalog: file, line, column, the line and a caret', async () => {
    const r = await runCli(['run', '--catalog', brokenCatalog], embedded);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /broken-catalog\.json:3:16: expected a value.*\n {6} {2}"personas": \[,\]\n {21}\^/,
    );
    nothingStarted();
  });

  test('a broken products file', async () => {
    const r = await runCli(['run', '--products', brokenProducts], embedded);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /broken-products\.json:2:12: unexpected character "x"/);
    nothingStarted();
  });

  test('two formats on stdout', async () => {
    const r = await runCli(['run', '--json', '--markdown'], embedded);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--json and --markdown both print to stdout/);
    nothingStarted();
  });
});

describe('up refuses bad flags before the stack (usage errors exit 2)', () => {
  for (const [args, message] of [
    [
      ['--once', '--timeout', '0'],
      /option '--timeout <seconds>' argument '0' is invalid\. expected a positive number/,
    ],
    [['--dashboard-port', 'x'], /--dashboard-port: expected a port number/],
  ] as const) {
    test(args.join(' '), async () => {
      const r = await runCli(['up', ...args], embedded);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      nothingStarted();
    });
  }
});

describe('report and compare refuse without reading the database', () => {
  test('compare X X: a campaign compared with itself', async () => {
    const r = await runCli(['compare', 'base', 'base']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^compare: "base" is the same campaign on both sides; .* can never regress/);
  });

  test('report --json --markdown', async () => {
    const r = await runCli(['report', 'base', '--json', '--markdown']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--json and --markdown both print to stdout/);
  });

  test('report needs no worker configuration (LLM_PROVIDER=claude is a worker setting)', async () => {
    const r = await runCli(['report', 'base'], { LLM_PROVIDER: 'claude' });
    assert.doesNotMatch(r.stderr, /Invalid configuration/);
    // It gets as far as the database (unreachable here).
    assert.match(r.stderr, /cannot reach Postgres/);
  });
});

describe('help, version and colour', () => {
  test('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(r.stdout.trim(), pkg.version);
  });

  test('defaults are shown as users type them', async () => {
    const r = await runCli(['replay', '--help']);
    assert.match(r.stdout.replace(/\s+/g, ' '), /--since <duration> .*\(default: 24h\)/);
    assert.doesNotMatch(r.stdout, /86400000/);
  });

  for (const command of [[], ['up'], ['run'], ['report'], ['compare'], ['campaigns', 'list'], ['tick']]) {
    test(`\`personas ${command.join(' ')} --help\` has examples`, async () => {
      const r = await runCli([...command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\nExamples:\n {2}\$ personas /);
    });
  }

  test('colour only on a terminal, never with NO_COLOR, always with FORCE_COLOR', () => {
    assert.equal(colourFor({ isTTY: true }, {}), true);
    assert.equal(colourFor({ isTTY: false }, {}), false);
    assert.equal(colourFor({}, {}), false);
    assert.equal(colourFor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colourFor({ isTTY: false }, { FORCE_COLOR: '1' }), true);
    assert.equal(colourFor({ isTTY: true }, { FORCE_COLOR: '0' }), true);
  });

  test('a regression is red (and bold) when coloured, plain text otherwise', () => {
    const text = 'REGRESSED: module todos\n| todos | 4.1★ | 3.2★ | regressed |';
    const on = colourVerdicts(text, pc.createColors(true));
    assert.ok(on.includes(pc.createColors(true).bold(pc.createColors(true).red('REGRESSED'))), on);
    assert.ok(on.includes('\u001b[31mregressed'), on);
    assert.equal(colourVerdicts(text, pc.createColors(false)), text);
  });
});
