import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { PersonaRunnerError } from '../lib/errors.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerGatewayCommand } from './commands/gateway.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerTokenCommand } from './commands/token.ts';
import { registerWorkerCommand } from './commands/worker.ts';
import { registerSeedCommand } from './commands/seed.ts';
import { registerCleanupCommand } from './commands/cleanup.ts';
import { registerSchedulesCommand } from './commands/schedules.ts';
import { registerTickCommand } from './commands/tick.ts';
import { registerPauseCommands } from './commands/pause.ts';
import { registerUpCommand } from './commands/up.ts';
import { registerDashboardCommand } from './commands/dashboard.ts';
import { registerReplayCommand } from './commands/replay.ts';
import { registerRunCommand } from './commands/run.ts';
import { registerCompareCommand } from './commands/compare.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerProductsCommand } from './commands/products.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerCampaignsCommand } from './commands/campaigns.ts';

export function buildProgram(): Command {
  const program = new Command('personas')
    .description('persona-runner: simulated users living inside a product, on durable Temporal workflows')
    .version(packageVersion(), '-V, --version', 'the version of persona-runner')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ personas up                              the whole stack on this machine, ticking
  $ personas up --once                       one tick per persona, a summary, exit
  $ personas run --label base && personas run --label cand && personas compare base cand
  $ personas campaigns                       what report and compare can take
  $ personas <command> --help                every command's options and examples`,
    );
  registerGatewayCommand(program);
  registerTokenCommand(program);
  registerWorkerCommand(program);
  registerSeedCommand(program);
  registerCleanupCommand(program);
  registerSchedulesCommand(program);
  registerTickCommand(program);
  registerPauseCommands(program);
  registerUpCommand(program);
  registerDashboardCommand(program);
  registerReplayCommand(program);
  registerRunCommand(program);
  registerCampaignsCommand(program);
  registerCompareCommand(program);
  registerReportCommand(program);
  registerProductsCommand(program);
  registerInitCommand(program);
  registerDoctorCommand(program);
  registerAuditCommand(program);
  registerMigrateCommand(program);
  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Exit codes: 0 ok, 1 failure, 2 usage or configuration error. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof PersonaRunnerError && err.exitCode === 2) {
      // Usage and configuration errors name what is wrong; no prefix, nothing else to add.
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`personas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
