import type { DbOrTx } from './client.ts';

const byExecutor = new WeakMap<DbOrTx, Map<string, unknown>>();

/**
 * A prepared query built once per executor and name: for the database itself (a singleton) that is
 * once per process, so a hot query skips drizzle's SQL building on every call, and — being a named
 * statement — Postgres parses and plans it once per connection instead of once per call. Inside a
 * transaction (a fresh executor each time) it is built per transaction, which costs what an unprepared
 * query does. `build` must always produce the same SQL text for a name (Postgres refuses a named
 * statement redefined on a connection).
 */
export function preparedQuery<T>(executor: DbOrTx, name: string, build: (executor: DbOrTx) => T): T {
  let cache = byExecutor.get(executor);
  if (!cache) byExecutor.set(executor, (cache = new Map()));
  let query = cache.get(name) as T | undefined;
  if (query === undefined) cache.set(name, (query = build(executor)));
  return query;
}
