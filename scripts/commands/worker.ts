import type { Command } from 'commander';
import { createLogger } from '../../lib/logger.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { runWorker } from '../../workers/main.ts';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run the Temporal worker for persona ticks in the foreground (graceful stop on Ctrl-C / SIGTERM)',
    )
    .action(async () => {
      const config = loadWorkerConfig();
      const logger = createLogger('worker', config.logLevel);
      const stop = new AbortController();
      const onSignal = (sig: string) => {
        logger.info({ signal: sig }, 'stopping: finishing in-flight activities');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      await runWorker(config, logger, stop.signal);
    });
}
