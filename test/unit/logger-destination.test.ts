// CLI commands log to stderr, so their stdout (a --json summary) is only the result; logs are short
// human lines on a terminal and JSON lines otherwise (lib/logger.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { prettyLogs } from '../../lib/logger.ts';

const logOnce = (to: 'stdout' | 'stderr', env: Record<string, string> = {}) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { createLogger } from './lib/logger.ts';
       createLogger('cli', 'warn', { to: '${to}' }).warn({ table: 'todos' }, 'something to look at');`,
    ],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOG_FORMAT: '', NO_COLOR: '1', ...env } },
  );

test("to: 'stderr' keeps stdout clean", () => {
  const r = logOnce('stderr');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /something to look at/);
});

test('servers log to stdout by default', () => {
  const r = logOnce('stdout');
  assert.match(r.stdout, /something to look at/);
});

test('piped (not a terminal): one JSON object per line, for log collectors', () => {
  const r = logOnce('stderr');
  const line = JSON.parse(r.stderr.trim()) as { level: number; msg: string; table: string };
  assert.deepEqual([line.level, line.msg, line.table], [40, 'something to look at', 'todos']);
});

test('LOG_FORMAT=pretty: one short human line (time, level, name, message, fields), no colour under NO_COLOR', () => {
  const r = logOnce('stderr', { LOG_FORMAT: 'pretty' });
  assert.match(r.stderr, /^\[\d\d:\d\d:\d\d\] WARN \(cli\): something to look at \{"table":"todos"\}\n$/);
  assert.ok(!r.stderr.includes('\u001b['), 'no ANSI colour codes');
});

test('the format follows the stream: pretty on a terminal, JSON when piped or with LOG_FORMAT=json', () => {
  assert.equal(prettyLogs(undefined, { isTTY: true }), true);
  assert.equal(prettyLogs('auto', { isTTY: true }), true);
  assert.equal(prettyLogs(undefined, { isTTY: false }), false);
  assert.equal(prettyLogs(undefined, {}), false);
  assert.equal(prettyLogs('json', { isTTY: true }), false);
  assert.equal(prettyLogs('pretty', { isTTY: false }), true);
});

// A real terminal (util-linux `script` gives the child a pty): pretty and coloured with no setting at
// all, and NO_COLOR still takes the colour away.
const SCRIPT = '/usr/bin/script';
test(
  'on a real terminal: pretty, coloured lines by default; NO_COLOR removes the colour',
  { skip: !existsSync(SCRIPT) && 'no util-linux script here' },
  () => {
    const inPty = (env: Record<string, string>) =>
      spawnSync(
        SCRIPT,
        [
          '-qec',
          `node --import tsx --input-type=module -e "import { createLogger } from './lib/logger.ts'; createLogger('cli', 'warn', { to: 'stderr' }).warn('on a terminal')"`,
          '/dev/null',
        ],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, LOG_FORMAT: '', NO_COLOR: '', FORCE_COLOR: '', ...env },
        },
      ).stdout;
    const coloured = inPty({});
    assert.match(coloured, /^\[\d\d:\d\d:\d\d\] .*WARN.* \(cli\): .*on a terminal/);
    assert.ok(coloured.includes('\u001b['), `no colour on a terminal: ${JSON.stringify(coloured)}`);
    const plain = inPty({ NO_COLOR: '1' });
    assert.match(plain, /^\[\d\d:\d\d:\d\d\] WARN \(cli\): on a terminal/);
    assert.ok(!plain.includes('\u001b['), 'colour despite NO_COLOR');
    assert.doesNotMatch(inPty({ LOG_FORMAT: 'json' }), /WARN/, 'LOG_FORMAT=json on a terminal');
  },
);
