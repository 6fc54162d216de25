import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One logger per process. Redaction is the last line of defence for secrets: the code never logs
 * tokens or passwords on purpose, and these paths catch the accidental cases.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
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
  });
}
