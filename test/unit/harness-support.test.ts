// The harness tests and benchmarks share (test/support): importing it outside the test runner (as a
// benchmark does) starts no test run, cleanups that run in reverse and survive a failure, the fake Messages API's computed answers and served-call
// timings (what the benchmarks measure the model with), and the one median/percentile.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AnthropicProvider } from '../../activities/llm/anthropic-provider.ts';
import { Cleanups } from '../support/cleanup.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { startFakeMessagesApi } from '../support/fake-messages-api.ts';
import { BENCH_USAGE, plannedAnswer } from '../support/fake-steps.ts';
import { median, percentile } from '../support/stats.ts';

test('every test/support module imports cleanly outside the test runner, as a benchmark imports it', () => {
  // Starters named for tests register node:test's after(); merely importing their modules must not
  // start a test run (which would print a report and change the exit code of a benchmark).
  const dir = path.join(REPO_ROOT, 'test/support');
  const modules = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const script = modules.map((f) => `await import(${JSON.stringify(path.join(dir, f))});`).join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_TEST_CONTEXT: '' },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /# tests|ℹ tests|TAP version/);
});

test('cleanups run last-registered first, once, and a failing one does not stop the rest', async () => {
  const ran: string[] = [];
  const cleanups = new Cleanups();
  cleanups.add(() => ran.push('database'));
  cleanups.add(() => {
    throw new Error('gateway would not close');
  });
  cleanups.add(() => ran.push('worker'));
  await assert.rejects(cleanups.run(), /gateway would not close/);
  await assert.rejects(cleanups.run(), /gateway would not close/);
  assert.deepEqual(ran, ['worker', 'database']);
});

test('the fake computes answers from the request, and records every call it served', async () => {
  const fake = await startFakeMessagesApi({
    answer: plannedAnswer({ rounds: 1, parallel: 2 }),
    usage: BENCH_USAGE,
  });
  try {
    const llm = new AnthropicProvider('claude-sonnet-4-6', {
      apiKey: 'sk-ant-test-harness',
      baseURL: fake.url,
    });
    const base = {
      system: 'You are Sam.',
      maxTokens: 256,
      purpose: 'main' as const,
      seed: 'harness',
      persona: { personaId: 'p1', archetype: 'solo-dev', moduleMix: { todos: 1 }, toolModules: {} },
    };
    const first = await llm.createMessage({ ...base, messages: [{ role: 'user', content: 'Your day.' }] });
    assert.equal(first.stopReason, 'tool_use');
    assert.equal(first.content.filter((b) => b.type === 'tool_use').length, 2);
    assert.equal(first.usage.cacheRead, BENCH_USAGE.cache_read_input_tokens);
    const second = await llm.createMessage({
      ...base,
      messages: [
        { role: 'user', content: 'Your day.' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'Done?' },
      ],
    });
    assert.equal(second.stopReason, 'end_turn');
    assert.equal(fake.served.length, 2);
    assert.deepEqual(
      fake.served.map((c) => c.purpose),
      ['main', 'main'],
    );
    assert.equal(fake.exhausted, false);
  } finally {
    await fake.close();
  }
});

test('one median and one nearest-rank percentile', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(median([Number.NaN, 5]), 5);
  assert.equal(percentile([10, 20, 30, 40], 50), 20);
  assert.equal(percentile([10, 20, 30, 40], 90), 40);
  assert.equal(percentile([5], 99), 5);
});
