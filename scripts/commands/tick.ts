import type { Command } from 'commander';
import { didYouMean } from '../../lib/did-you-mean.ts';
import { PersonaRunnerError, UsageError } from '../../lib/errors.ts';
import { findPersona, livePersonas } from '../../lib/personas/live-personas.ts';
import { hasWorkflowPollers, workflowPollersWithin } from '../../lib/temporal/pollers.ts';
import { startTick } from '../../lib/ticks/start-tick.ts';
import { formatSummary, summarizeTicks } from '../../lib/ticks/summary.ts';
import { statusQuery, type TickStatus } from '../../workflows/tick-contract.ts';
import { printJson, withContext } from '../context.ts';
import { withProgress } from '../progress.ts';

/** Thrown when `tick --wait` finds no worker to run the tick: it would wait forever (exit 1). */
export class NoWorkerError extends PersonaRunnerError {
  override readonly code = 'NO_WORKER';
}

function progressLine(s: TickStatus): string {
  return `phase ${s.phase} · round ${s.round} · ${s.actions} tool call(s)${s.errors ? `, ${s.errors} error(s)` : ''}${s.paused ? ' · PAUSED' : ''}${s.toolsUsed.length ? ` · ${s.toolsUsed.join(', ')}` : ''}`;
}

export function registerTickCommand(program: Command): void {
  program
    .command('tick')
    .description('start one tick of a persona now; --wait shows live progress and a final summary')
    .argument('<persona>', 'persona email or id')
    .option('--wait', 'follow the tick until it ends')
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      `
Examples:
  $ personas tick maya.adhd@personas.test --wait   follow one tick (needs a worker: personas up, or personas worker)
  $ personas tick maya.adhd@personas.test          start it and print its Temporal Web UI link`,
    )
    .action(async (ref: string, opts: { wait?: boolean; json?: boolean }) => {
      await withContext('tick', async (ctx) => {
        const { db } = await ctx.database({ migrate: false });
        const persona = await findPersona(db, ref);
        if (!persona) {
          const emails = (await livePersonas(db)).map((p) => p.email);
          throw new UsageError(
            `no persona "${ref}"${didYouMean(ref, emails) || ': seed it first (personas seed) or check personas schedules list'}`,
          );
        }
        const { client, target } = await ctx.temporal();
        const taskQueue = ctx.config.temporal.taskQueue;
        // Following a tick no worker will run would wait forever: refuse, and say how to start one.
        if (opts.wait && !(await workflowPollersWithin(client, target.namespace, taskQueue)))
          throw new NoWorkerError(
            `no worker polls task queue ${taskQueue} on ${target.address}, so the tick would never run. ` +
              'Start the whole stack with `personas up` (in another terminal), or a worker with `personas worker` ' +
              '(and `personas gateway`), with the same TEMPORAL_ADDRESS and TEMPORAL_TASK_QUEUE; then run this again',
          );
        if (!(await hasWorkflowPollers(client, target.namespace, taskQueue))) {
          process.stderr.write(
            `warning: no worker polls task queue ${taskQueue}; the tick waits until one does (run personas worker + personas gateway, or personas up)\n`,
          );
        }
        if (persona.paused) {
          process.stderr.write(
            `warning: ${persona.email} is paused: the tick will wait for \`personas resume ${persona.email}\`\n`,
          );
        }
        const handle = await startTick(client, persona, taskQueue);
        const link = target.uiUrl
          ? `${target.uiUrl}/namespaces/${target.namespace}/workflows/${handle.workflowId}`
          : undefined;
        if (!opts.wait) {
          if (opts.json) return printJson({ workflowId: handle.workflowId, ui: link });
          process.stdout.write(`started ${handle.workflowId}${link ? `\n${link}` : ''}\n`);
          return;
        }
        if (!opts.json)
          process.stderr.write(`tick ${handle.workflowId} for ${persona.email}${link ? `\n${link}` : ''}\n`);
        let failed: unknown;
        try {
          await withProgress(handle.result(), async () => progressLine(await handle.query(statusQuery)), {
            everyMs: 500,
            quiet: opts.json,
          });
        } catch (err) {
          failed = err;
        }
        const summary = await summarizeTicks(db, [handle.workflowId]);
        if (opts.json) printJson({ workflowId: handle.workflowId, ui: link, ...summary });
        else process.stdout.write(`${formatSummary(summary)}\n`);
        if (failed) {
          process.stderr.write(
            `tick failed: ${(failed as Error).cause instanceof Error ? ((failed as Error).cause as Error).message : (failed as Error).message}\n`,
          );
          process.exitCode = 1;
        }
      });
    });
}
