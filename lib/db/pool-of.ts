import type pg from 'pg';
import type { Db } from './client.ts';

/**
 * The pg pool under a drizzle handle, for a hot statement drizzle cannot express (an upsert whose
 * values depend on the conflicting row) sent as a named prepared statement: parsed and planned once
 * per connection. drizzle() always sets `$client`; the Db type leaves it out.
 */
export function poolOf(db: Db): pg.Pool {
  return (db as Db & { $client: pg.Pool }).$client;
}
