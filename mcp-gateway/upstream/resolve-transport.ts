import fs from 'node:fs';
import path from 'node:path';
import {
  expandPlaceholders,
  expandRecord,
  workdirFor,
  type PlaceholderUser,
} from '../../lib/products/placeholders.ts';
import type { ProductConfig } from '../../lib/products/products-config.ts';
import { headerSecrets, Redactor } from './redaction.ts';
import type { ResolvedTransport } from './upstream-connection.ts';

export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  seedSecret: string;
  /** The user a per-user session is for; undefined for a shared product's one session. */
  user: PlaceholderUser | undefined;
}

/**
 * A child started in its workdir would read `node_modules/x/server.js` or `./server.py` from there:
 * a relative path naming a file where the gateway runs is made absolute, so a products file means
 * what it meant before children got a workdir. Anything else (`.`, `notes.db`) stays relative to the
 * workdir.
 */
function besideGateway(arg: string): string {
  if (path.isAbsolute(arg) || arg.startsWith('-')) return arg;
  const full = path.resolve(arg);
  return fs.statSync(full, { throwIfNoEntry: false })?.isFile() ? full : arg;
}

/**
 * A product's transport for one session, every placeholder expanded, and what masks its credentials.
 * A stdio child runs in its `${workdir}` unless the products file gives a `cwd`.
 */
export function resolveTransport(
  config: ProductConfig,
  { env: processEnv, dataDir, seedSecret, user }: ResolveContext,
): { transport: ResolvedTransport; redactor: Redactor; stderrRedactor?: Redactor } {
  const secrets = new Set<string>();
  const workdir = workdirFor(dataDir, config.name, user);
  const ctx = { env: processEnv, dataDir, product: config.name, seedSecret, user, workdir, secrets };
  const t = config.transport;
  if (t.type === 'stdio') {
    const env = expandRecord(t.env, ctx);
    const command = expandPlaceholders(t.command, ctx);
    const args = t.args.map((a) => expandPlaceholders(a, ctx));
    const transport: ResolvedTransport = {
      type: 'stdio',
      command: t.cwd || !command.includes('/') ? command : besideGateway(command),
      args: t.cwd ? args : args.map(besideGateway),
      env,
      // The child's files land in its own directory unless the products file says where.
      cwd: t.cwd ? expandPlaceholders(t.cwd, ctx) : workdir,
      // Created when the child will use it: as its cwd, or named by `${workdir}` anywhere.
      ...((!t.cwd || JSON.stringify(t).includes('${workdir}')) && { workdir }),
    };
    // A stdio child may print its environment (a config dump, a traceback): the products file's
    // env values are masked in what is kept of its stderr, literal ones too.
    const stderrRedactor = new Redactor([...secrets, ...Object.values(env)]);
    return { transport, redactor: new Redactor(secrets), stderrRedactor };
  }
  const url = expandPlaceholders(t.url, ctx);
  const headers = expandRecord(t.headers, ctx);
  const password = URL.canParse(url) ? decodeURIComponent(new URL(url).password) : '';
  return {
    transport: { type: 'http', url, headers },
    redactor: new Redactor([...secrets, ...headerSecrets(headers), password]),
  };
}
