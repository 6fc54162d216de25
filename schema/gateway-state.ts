import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.ts';

/**
 * The MCP sessions the gateways have open, so any gateway instance can serve any session: the one
 * that receives a request for a session it does not hold rebuilds it from this row
 * (mcp-gateway/mcp/session-store.ts). Written once on initialize; `last_seen_at` is touched at most a
 * few times per idle window, not per call. A row deleted (DELETE /mcp, eviction, expiry) ends the
 * session on every instance. A deleted user's sessions go with it.
 */
export const mcpSessions = pgTable(
  'mcp_sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The token subject that opened it (JSON [iss, sub]); only the same subject may use it. */
    subject: text('subject').notNull(),
    protocolVersion: text('protocol_version').notNull(),
    clientCapabilities: jsonb('client_capabilities').notNull(),
    clientInfo: jsonb('client_info').notNull(),
    /** `admin` or `user` when it opened (for the record: an instance rebuilding it re-reads privileges). */
    tier: text('tier').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mcp_sessions_user_idx').on(t.userId, t.lastSeenAt)],
);

/**
 * Per-key call counters of the rate limit shared by every gateway instance (a fixed window anchored at
 * the key's first call). UNLOGGED (edited into the migration; drizzle cannot say it): a crash empties
 * it, which only ever relaxes a limit for one window, and it saves a WAL write per call.
 */
export const gatewayRateWindows = pgTable(
  'gateway_rate_windows',
  {
    key: text('key').primaryKey(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [index('gateway_rate_windows_start_idx').on(t.windowStart)],
);

/**
 * Failed logins per throttle key (an account, or a client IP), shared by every gateway instance:
 * the newest failures' times, at most the limit's worth. UNLOGGED like gateway_rate_windows.
 */
export const gatewayLoginFailures = pgTable(
  'gateway_login_failures',
  {
    key: text('key').primaryKey(),
    failures: timestamp('failures', { withTimezone: true }).array().notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('gateway_login_failures_last_idx').on(t.lastFailureAt)],
);
