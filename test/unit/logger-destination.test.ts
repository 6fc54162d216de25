// CLI commands log to stderr, so their stdout (a --json summary) is only the result; logs are short
// human lines on a terminal and JSON lines otherwise (lib/logger.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
