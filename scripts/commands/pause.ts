import type { Command } from 'commander';
import { findPersona } from '../../lib/personas/live-personas.ts';
import { setPaused } from '../../lib/schedules/control.ts';
import { printJson, withContext } from '../context.ts';

function register(program: Command, name: 'pause' | 'resume'): void {
  const paused = name === 'pause';
  program
    .command(name)
    .description(
      paused
        ? 'pause a persona (its schedule, and its running tick before its next step); --all is the global kill switch'
        : 'resume a persona (its schedule and its paused tick); --all resumes everyone',
    )
    .argument('[persona]', 'persona email or id')
    .option('--all', `${name} every persona`)
    .option('--json', 'machine-readable output')
    .action(async (ref: string | undefined, opts: { all?: boolean; json?: boolean }) => {
      if (!ref === !opts.all)
        throw new Error(`give either a persona (email or id) or --all, e.g. personas ${name} --all`);
      await withContext(name, async (ctx) => {
        const { db } = await ctx.database({ migrate: false });
        let personaId: string | undefined;
        if (ref) {
          const persona = await findPersona(db, ref);
          if (!persona) throw new Error(`no persona "${ref}" (try personas schedules list)`);
          personaId = persona.personaId;
        }
        const { client } = await ctx.temporal();
        const result = await setPaused(client, db, paused, personaId, ctx.config.temporal.scheduleMode);
        if (opts.json) return printJson({ action: name, ...result });
        process.stdout.write(
          `${paused ? 'paused' : 'resumed'} ${result.personas} persona(s): ${result.schedules} schedule(s), ${result.ticksSignalled} running tick(s) signalled\n`,
        );
      });
    });
}

export function registerPauseCommands(program: Command): void {
  register(program, 'pause');
  register(program, 'resume');
}
