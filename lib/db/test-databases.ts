import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates a throwaway database on the server behind `adminUrl` (any database on that server) and
 * returns its URL; `drop()` removes it. Tests use one database per file so they cannot collide.
 */
export async function createScratchDatabase(
  adminUrl: string,
  prefix = 'pr_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
