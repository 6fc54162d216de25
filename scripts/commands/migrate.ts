import type { Command } from 'commander';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase, redactUrl } from '../../lib/db/client.ts';
import { createLogger } from '../../lib/logger.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the committed migrations (also done automatically on every start)')
    .action(async () => {
      const config = loadBaseConfig();
      const database = await openDatabase(config, createLogger('migrate', config.logLevel));
      process.stderr.write(`migrations applied to ${redactUrl(database.url)} (${database.source})\n`);
      await database.close();
    });
}
