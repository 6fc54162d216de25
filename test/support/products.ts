import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { freePort } from '../../lib/net/free-port.ts';
import { waitUntil } from './wait.ts';

export const MEMORY_SERVER = path.resolve('node_modules/@modelcontextprotocol/server-memory/dist/index.js');
export const FILESYSTEM_SERVER = path.resolve(
  'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js',
);
export const EVERYTHING_SERVER = path.resolve(
  'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
);

/** A scratch directory for this test file (products file, upstream data), removed when it ends. */
export async function scratchDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'federation-'));
  after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a products file and returns its path. */
export async function writeProducts(dir: string, config: unknown, name = 'products.json'): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

/** server-memory over stdio; `memoryFile` may hold placeholders (`${user.id}` for per-user). */
export function memoryProduct(memoryFile: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'memory',
    transport: {
      type: 'stdio',
      command: process.execPath,
      args: [MEMORY_SERVER],
      env: { MEMORY_FILE_PATH: memoryFile },
    },
    ...extra,
  };
}

export interface EverythingServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop()). */
  restart(): Promise<void>;
}

/** server-everything in its Streamable HTTP mode (`streamableHttp`, port from `PORT`), as a child process. */
export async function startEverything(port?: number): Promise<EverythingServer> {
  const p = port ?? (await freePort());
  const start = async () => {
    const child = spawn(process.execPath, [EVERYTHING_SERVER, 'streamableHttp'], {
      env: { ...process.env, PORT: String(p) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitUntil(
      () => stderr.includes('listening') || child.exitCode !== null,
      'server-everything listens',
    );
    if (child.exitCode !== null) throw new Error(`server-everything exited: ${stderr}`);
    return child;
  };
  const stopChild = async (c: ChildProcess) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  const server: EverythingServer = {
    url: `http://127.0.0.1:${p}/mcp`,
    port: p,
    child: await start(),
    stop: () => stopChild(server.child),
    async restart() {
      server.child = await start();
    },
  };
  after(() => server.stop());
  return server;
}

/** A pass-through HTTP proxy to an upstream that records the headers each request carried. */
export async function recordingProxy(
  targetPort: number,
): Promise<{ url: string; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push(req.headers);
    const up = http.request(
      { host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  after(
    () =>
      new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`, seen };
}

export const FLAKY_SERVER = path.resolve('test/fixtures/upstreams/flaky-server.mjs');

/** test/fixtures/upstreams/flaky-server.mjs over stdio as product `flaky`; its pid goes to `pidFile`. */
export function flakyProduct(pidFile?: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'flaky',
    transport: {
      type: 'stdio',
      command: process.execPath,
      args: [FLAKY_SERVER],
      ...(pidFile && { env: { PID_FILE: pidFile } }),
    },
    ...extra,
  };
}

/** The pid a fixture wrote to `pidFile`, once it has. */
export function childPid(pidFile: string): Promise<number> {
  return waitUntil(() => fs.readFile(pidFile, 'utf8').then(Number, () => undefined), 'the child runs');
}
