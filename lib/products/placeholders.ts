import { createHmac } from 'node:crypto';
import path from 'node:path';
import { PersonaRunnerError } from '../errors.ts';

// Placeholders in a product's transport (command, args, env, cwd, url, headers). They live in lib/
// (not the gateway) because the products file is validated wherever it is read: the gateway, and the
// CLI commands that check a catalog's modules against it.

/** The gateway user an upstream session is opened for (per-user isolation). */
export interface PlaceholderUser {
  id: string;
  email: string;
}

export interface PlaceholderContext {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  product: string;
  /** The seed secret `${user.secret}` is derived from (HMAC over product and user id). */
  seedSecret: string;
  user?: PlaceholderUser;
  /** `${workdir}`: the product's (per-user: the user's) working directory, see workdirFor(). */
  workdir?: string;
  /** Collects the values that are credentials (`${env:…}`, `${user.secret}`), for redaction. */
  secrets?: Set<string>;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const USER_NAMES = ['user.id', 'user.email', 'user.secret'] as const;
const KNOWN = ['dataDir', 'workdir', ...USER_NAMES];

/** Thrown when a placeholder cannot be expanded (unknown name, unset variable, no user). */
export class PlaceholderError extends PersonaRunnerError {
  override readonly code = 'PLACEHOLDER_INVALID';
}

/** Problems with the placeholders of one string; `perUser` says whether `${user.*}` is allowed there. */
export function placeholderProblems(text: string, perUser: boolean): string[] {
  const problems: string[] = [];
  for (const [, name = ''] of text.matchAll(PLACEHOLDER)) {
    if (name.startsWith('env:')) {
      if (!/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`\${${name}}: not a variable name`);
    } else if (!KNOWN.includes(name)) {
      problems.push(
        `\${${name}}: unknown placeholder; use \${env:NAME}, \${dataDir}, \${workdir}, ${USER_NAMES.map((n) => `\${${n}}`).join(', ')}`,
      );
    } else if (name.startsWith('user.') && !perUser) {
      problems.push(
        `\${${name}}: user placeholders need "isolation": "per-user" (a shared connection has no user)`,
      );
    }
  }
  return problems;
}

/**
 * `${user.secret}`: lets an upstream pre-provision an account per persona without knowing our
 * secrets. Bound to the user id, which is never reused — not to the email: whoever registers an email
 * a deleted persona (or the gateway's discovery session) used gets a different secret.
 */
export function userSecret(seedSecret: string, product: string, userId: string): string {
  return createHmac('sha256', seedSecret).update(`${product}:${userId}`).digest('base64url');
}

/** Expands every placeholder; the message of a failure names the placeholder, never a value. */
export function expandPlaceholders(text: string, ctx: PlaceholderContext): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => {
    if (name.startsWith('env:')) {
      const value = ctx.env[name.slice(4)];
      if (value === undefined || value === '')
        throw new PlaceholderError(`\${${name}}: environment variable ${name.slice(4)} is not set`);
      ctx.secrets?.add(value);
      return value;
    }
    if (name === 'dataDir') return ctx.dataDir;
    if (name === 'workdir') {
      if (!ctx.workdir) throw new PlaceholderError(`\${workdir}: no working directory here`);
      return ctx.workdir;
    }
    if (!ctx.user) throw new PlaceholderError(`\${${name}}: no user (shared connection)`);
    if (name === 'user.id') return ctx.user.id;
    if (name === 'user.email') return ctx.user.email;
    if (name === 'user.secret') {
      const secret = userSecret(ctx.seedSecret, ctx.product, ctx.user.id);
      ctx.secrets?.add(secret);
      return secret;
    }
    throw new PlaceholderError(`\${${name}}: unknown placeholder`);
  });
}

/** Where a product's own files live: `<dataDir>/products/<product>`. */
export function productDir(dataDir: string, product: string): string {
  return path.join(dataDir, 'products', product);
}

/**
 * `${workdir}`: a per-user product's directory for one user (`<dataDir>/products/<name>/<user.id>`),
 * a shared product's own (`<dataDir>/products/<name>`). Product names and user ids (UUIDs, or the
 * gateway's discovery id) are plain words, so no placeholder value can climb out of the data dir.
 */
export function workdirFor(dataDir: string, product: string, user: PlaceholderUser | undefined): string {
  return user ? path.join(productDir(dataDir, product), user.id) : productDir(dataDir, product);
}

/** Expands every string value of a record. */
export function expandRecord(
  record: Readonly<Record<string, string>>,
  ctx: PlaceholderContext,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, expandPlaceholders(v, ctx)]));
}
