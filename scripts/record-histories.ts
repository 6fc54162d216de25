// Records the replay fixtures (test/fixtures/histories/*.json) by running test/tick/record-histories.ts
// under the test harness, which provides Postgres and a Temporal dev server for the run.
//   node --import tsx scripts/record-histories.ts              # records missing fixtures
//   RECORD_HISTORIES=overwrite node --import tsx scripts/record-histories.ts   # re-records all
// Commit the JSON files it writes; test/tick/replay.test.ts replays every one of them.
import { spawn } from 'node:child_process';

const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'scripts/run-tests.ts', 'test/tick/record-histories.ts'],
  {
    stdio: 'inherit',
    env: { ...process.env, RECORD_HISTORIES: process.env.RECORD_HISTORIES ?? '1', TEST_CONCURRENCY: '1' },
  },
);
process.exitCode = await new Promise<number>((resolve) =>
  child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
);
