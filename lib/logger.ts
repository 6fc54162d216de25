import { pino, type DestinationStream, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import pretty from 'pino-pretty';
import { colourFor } from './terminal/colour.ts';

export type { Logger };

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * `auto` (the default): short human lines when the log goes to a terminal, JSON lines otherwise (a
 * pipe, a file, a container's log collector); `json` or `pretty` force one.
 */
export function prettyLogs(format: string | undefined, stream: { isTTY?: boolean }): boolean {
  if (format === 'pretty') return true;
  if (format === 'json') return false;
  return stream.isTTY === true;
}

/**
 * One logger per process. Redaction is the last line of defence for secrets: the code never logs
 * tokens or passwords on purpose, and these paths catch the accidental cases.
 *
 * Servers (gateway, worker) log to stdout, as their supervisors expect. A CLI command whose stdout is
 * its result (`up --once --json`, `report --json`, …) passes `to: 'stderr'`, so a late warning can
 * never corrupt what a script parses.
 */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  opts: { to?: 'stdout' | 'stderr'; format?: string } = {},
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
  const fd = opts.to === 'stderr' ? 2 : 1;
  const tty = fd === 2 ? process.stderr : process.stdout;
  const format = opts.format ?? process.env.LOG_FORMAT?.trim();
  if (prettyLogs(format, tty)) {
    // pino-pretty as a synchronous stream, not a transport: no worker thread to outlive a CLI
    // command, and a line logged just before exit is never lost.
    const stream: DestinationStream = pretty({
      destination: fd,
      sync: true,
      colorize: colourFor(tty),
      ignore: 'pid,hostname',
      translateTime: 'SYS:HH:MM:ss',
      singleLine: true,
    } satisfies PrettyOptions);
    return pino(options, stream);
  }
  return pino(options, pino.destination(fd));
}
