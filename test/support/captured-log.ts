// A logger that keeps every line it writes (level debug), so a test can read what the gateway logged.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../lib/logger.ts';

export function capturedLog(): { logger: Logger; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), text: () => lines.join('') };
}
