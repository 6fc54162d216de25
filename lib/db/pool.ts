import pg from 'pg';

/**
 * A pg Pool that never loses a client to a dead connection. drizzle's `transaction()` releases its
 * client only after a successful BEGIN: when Postgres goes away between checkout and BEGIN (a
 * restart), that client is never released, and each outage permanently shrinks the pool until every
 * caller waits forever (and `pool.end()` never returns). Here a checked-out client whose connection
 * ends is released (and so removed) by the pool itself, and a later release by its holder is a no-op.
 */
export class ResilientPool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  override connect(
    callback?: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): Promise<pg.PoolClient> | void {
    // The callback form is pg-pool's own (pool.query), which always releases exactly once.
    if (callback) return super.connect(callback);
    return super.connect().then(guardRelease);
  }
}

function guardRelease(client: pg.PoolClient): pg.PoolClient {
  const release = client.release.bind(client);
  let released = false;
  const onEnd = () => client.release(new Error('Postgres connection ended while checked out'));
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('end', onEnd);
    release(err);
  };
  client.once('end', onEnd);
  return client;
}
