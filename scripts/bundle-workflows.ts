// Bundles the workflow code with Temporal's webpack bundler, as the worker does at start. tsc cannot
// see a node built-in pulled into the sandbox indirectly; the bundler fails on it. CI runs this.
import { bundleWorkflows } from '../workers/tick-worker.ts';

const started = Date.now();
const bundle = await bundleWorkflows();
process.stdout.write(
  `workflow bundle ok: ${(bundle.code.length / 1024).toFixed(0)} KB in ${Date.now() - started} ms\n`,
);
