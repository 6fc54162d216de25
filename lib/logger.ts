import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One logger per process. Redaction is the last line of defence for secrets: the code never logs
 * tokens or passwords on purpose, and these paths catch the accidental cases.
 *
 * Servers (gateway, worker) log to stdout, as their supervisors expect. A CLI command whose stdout is
 * its result (`up --once --json`, `report --json`, …) passes `to: 'stderr'`, so a late warning (a
 * Postgres connection dropped during shutdown) can never corrupt what a script parses.
 */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  opts: { to?: 'stdout' | 'stderr' } = {},
): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
        'apiKey',
        '*.apiKey',
      ],
      censor: '[redacted]',
    },
  };
  return opts.to === 'stderr' ? pino(options, pino.destination(2)) : pino(options);
}
