import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Redactor } from './redaction.ts';

/** How much of a child's stderr is kept: its last words, enough for a stack trace's end. */
export const STDERR_TAIL_BYTES = 4096;

/** How a child ended, and what it said last on stderr (credentials masked). */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export interface StdioChildOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  maxBufferSize: number;
  /** Masks credentials (the products file's env values among them) in what is kept of stderr. */
  redactor: Redactor;
  /** Each stderr chunk, masked (for the debug log). */
  onStderr?(text: string): void;
}

/**
 * The SDK's stdio transport, remembering what it does not: the child's last 4 KB of stderr and how
 * it exited. A server that refuses to start ("None of the specified directories are accessible", a
 * Python traceback) says why on stderr and exits — without this the gateway could only say
 * "connection closed".
 */
export class StdioChild extends StdioClientTransport {
  private tail = Buffer.alloc(0);
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly redactor: Redactor;

  constructor(opts: StdioChildOptions) {
    super({
      command: opts.command,
      args: opts.args,
      env: { ...getDefaultEnvironment(), ...opts.env },
      cwd: opts.cwd,
      stderr: 'pipe',
      // The SDK buffers the child's stdout up to a newline: an overlong line stops the child.
      maxBufferSize: opts.maxBufferSize,
    });
    this.redactor = opts.redactor;
    // Drained so a chatty child never blocks on a full pipe; only the tail is kept.
    this.stderr?.on('data', (chunk: Buffer) => {
      this.tail = Buffer.concat([this.tail, chunk]);
      if (this.tail.length > STDERR_TAIL_BYTES) this.tail = this.tail.subarray(-STDERR_TAIL_BYTES);
      opts.onStderr?.(opts.redactor.text(chunk.toString().slice(0, 500)));
    });
  }

  override async start(): Promise<void> {
    await super.start();
    // The SDK keeps the process private and drops the exit code; 'exit' comes before its 'close'.
    const child = (this as unknown as { _process?: ChildProcess })._process;
    child?.once('exit', (code, signal) => (this.exit = { code, signal }));
  }

  /** How the child ended, or undefined while it runs (or was never started). */
  exited(): ChildExit | undefined {
    if (!this.exit) return undefined;
    // A cut may split a character: the replacement character is honest about it.
    return { ...this.exit, stderr: this.redactor.text(this.tail.toString('utf8')).trim() };
  }
}

/** "exited with code 1" / "killed by SIGKILL", and the last line(s) of stderr up to `max` characters. */
export function describeExit(exit: ChildExit, max = STDERR_TAIL_BYTES): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  if (!exit.stderr) return `the command ${how} (nothing on stderr)`;
  const words = exit.stderr.length > max ? `…${exit.stderr.slice(-max)}` : exit.stderr;
  return `the command ${how}; its stderr: ${words}`;
}

/** A product's working directory, owner-only: it holds a user's files. */
export async function makeWorkdir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode as it was.
  await fs.chmod(dir, 0o700);
}
