// The hostile MCP server of test/fixtures/upstreams/hostile-http.mjs as a child process (so what it
// writes and buffers is not counted in the gateway's memory), and what it reports at /stats.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const HOSTILE_SERVER = path.resolve('test/fixtures/upstreams/hostile-http.mjs');

export interface HostileStats {
  /** tools/list calls by X-User header ("shared" without one). */
  lists: Record<string, number>;
  /** Answers still being written. */
  streaming: number;
  /** Answers the client closed before they ended. */
  cut: number;
}

export interface HostileUpstream {
  /** `/mcp` (the tools), or `/leaky` (every request answered 400 with its headers). */
  url(endpoint?: 'mcp' | 'leaky'): string;
  stats(): Promise<HostileStats>;
  stop(): Promise<void>;
}

export async function startHostileUpstream(env: Record<string, string> = {}): Promise<HostileUpstream> {
  const child: ChildProcess = spawn(process.execPath, [HOSTILE_SERVER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the hostile upstream exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    url: (endpoint = 'mcp') => `${base}/${endpoint}`,
    stats: async () => (await (await fetch(`${base}/stats`)).json()) as HostileStats,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
