import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import { coloursFor, type Colours } from '../../lib/terminal/colour.ts';
import { printJson } from '../context.ts';

/**
 * One output convention for the commands that produce a result (`report`, `compare`, `run`):
 * text on stdout by default, or `--json` on stdout, or `--markdown` on stdout; `--markdown FILE`
 * and `--junit FILE` write files beside whatever stdout shows.
 */
export interface OutputFlags {
  json?: boolean;
  /** true: Markdown on stdout; a string: also write Markdown to that file. */
  markdown?: string | true;
  junit?: string;
}

/** How one result renders in each format. */
export interface Renderers {
  json: () => unknown;
  text: () => string;
  markdown: () => string;
  junit: () => string;
}

export function addOutputOptions(command: Command, what: string): Command {
  return command
    .option('--json', `${what} as JSON on stdout`)
    .option(
      '--markdown [file]',
      `${what} as Markdown tables: on stdout, or into <file> (for a pull-request comment); put it after the arguments`,
    )
    .option('--junit <file>', `also write ${what} as JUnit XML (a test case per row) for CI`);
}

/** Refuses flags that would put two formats on stdout; call before starting anything. */
export function checkOutputFlags(flags: OutputFlags): void {
  if (flags.json && flags.markdown === true)
    throw new UsageError(
      '--json and --markdown both print to stdout: give --markdown a file (--markdown out.md), or drop one',
    );
}

/** Verdict words stand out on a terminal: what fails the gate in red, improvements in green. */
export function colourVerdicts(text: string, c: Colours): string {
  if (!c.isColorSupported) return text;
  return text
    .replace(/\b(REGRESSED|regressed|missing)\b/g, (w) => c.bold(c.red(w)))
    .replace(/\b(improved)\b/g, (w) => c.green(w));
}

/** Writes the files the flags ask for, then stdout in the chosen format. */
export async function writeOutputs(flags: OutputFlags, render: Renderers): Promise<void> {
  checkOutputFlags(flags);
  if (flags.junit) await writeFile(flags.junit, render.junit());
  if (typeof flags.markdown === 'string') await writeFile(flags.markdown, `${render.markdown()}\n`);
  if (flags.json) printJson(render.json());
  else if (flags.markdown === true) process.stdout.write(`${render.markdown()}\n`);
  else process.stdout.write(`${colourVerdicts(render.text(), coloursFor(process.stdout))}\n`);
}
