#!/usr/bin/env node
// The `personas` CLI. The project runs its TypeScript directly through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
await main(process.argv);
