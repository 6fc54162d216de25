import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { users } from '../../schema/index.ts';
import { openDatabase } from '../../lib/db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { resolveKek } from '../../lib/demo-product/kek.ts';
import { ensureSigningKey } from '../../mcp-gateway/identity/signing-keys.ts';
import { normaliseEmail, signupUser } from '../../lib/demo-product/signup.ts';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';

export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description(
      'print a bearer token for <email> on stdout (nothing else), creating a human user with a personal space if missing',
    )
    .argument('<email>', 'the user to issue a token for')
    .option('--admin', 'create the user as (or promote it to) an admin-tier user')
    .option('--destructive', 'opt the user into destructive tools')
    .option('--zero-knowledge', 'create the user as zero-knowledge (the server keeps no usable key)')
    .option('--ttl <seconds>', 'token lifetime in seconds (default AUTH_TOKEN_TTL_SECONDS)')
    .action(
      async (
        email: string,
        opts: { admin?: boolean; destructive?: boolean; zeroKnowledge?: boolean; ttl?: string },
      ) => {
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`"${email}" is not an email address`);
        const ttl = opts.ttl === undefined ? undefined : Number(opts.ttl);
        if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1))
          throw new Error('--ttl: expected a whole number of seconds ≥ 1');
        const config = loadGatewayConfig();
        // stdout carries only the token, so logs go to stderr.
        const logger = createLogger('token', config.logLevel === 'info' ? 'warn' : config.logLevel);
        const database = await openDatabase(config, logger, { poolSize: 2 });
        try {
          const kek = resolveKek(config);
          const { user } = await signupUser(database.db, kek, {
            email,
            tier: opts.admin ? 'admin' : 'free',
            zeroKnowledge: opts.zeroKnowledge,
            destructiveOptIn: opts.destructive,
          });
          const changes = {
            ...(opts.admin && user.tier !== 'admin' ? { tier: 'admin' as const } : {}),
            ...(opts.destructive && !user.destructiveOptIn ? { destructiveOptIn: true } : {}),
          };
          if (Object.keys(changes).length)
            await database.db.update(users).set(changes).where(eq(users.id, user.id));
          const key = await ensureSigningKey(database.db, kek);
          const { token } = await issueToken(
            key,
            config.auth,
            { ...user, ...changes, email: normaliseEmail(email) },
            ttl,
          );
          process.stdout.write(`${token}\n`);
        } finally {
          await database.close();
        }
      },
    );
}
