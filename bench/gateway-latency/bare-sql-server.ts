// The fair baseline of bench/gateway-latency.ts (issue 12): a bare SDK server (bare-http.ts) whose tools
// run the SAME SQL as the gateway's, on the same Postgres database, for the same users — the limit any
// gateway serving this data can reach on this machine.
//
//   todo_list    the gateway tool's own handler (same drizzle query, same row mapping), no transaction
//   todo_create  the handler with the gateway's idempotency statements around it (claim the key, insert,
//                store the result) in one transaction, when the call carries `_meta.idempotencyKey`
//
// Everything else the gateway does is absent: token verification, session ownership and the per-request
// privilege check, policy gate, output check, metrics. A session is bound to the user its initialize
// request names in `Authorization: Bearer <userId>:<personalSpaceId>` (verified by nobody).
//
// Usage: bare-sql-server.ts --database-url URL (the gateway child's scratch database, printed in its
// ready line).
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadBaseConfig } from '../../lib/config/base.ts';
import { openDatabase, type Db } from '../../lib/db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { FieldCipher } from '../../mcp-gateway/crypto/field-cipher.ts';
import { readIdempotencyKey } from '../../mcp-gateway/mcp/idempotency.ts';
import { runIdempotent } from '../../mcp-gateway/mcp/run-idempotent.ts';
import { serveBareMcp } from './bare-http.ts';
import { okResult } from '../../mcp-gateway/mcp/tool-result.ts';
import { todoCreate } from '../../mcp-gateway/tools/todo-create.ts';
import { todoList } from '../../mcp-gateway/tools/todo-list.ts';
import type { DbOrTx } from '../../lib/db/client.ts';
import type { SessionUser, ToolContext, ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';

const { values } = parseArgs({ options: { 'database-url': { type: 'string' } } });
if (!values['database-url']) throw new Error('--database-url is required');
const logger = createLogger('bench-bare-sql', process.env.LOG_LEVEL ?? 'info');
const database = await openDatabase({ ...loadBaseConfig({}), databaseUrl: values['database-url'] }, logger, {
  migrate: false,
  poolSize: 32,
});

function sessionUser(authorization: string | undefined): SessionUser {
  const [id, personalSpaceId] = (authorization ?? '').replace(/^Bearer /, '').split(':');
  if (!id || !personalSpaceId) throw new Error('bare-sql: Authorization must be "Bearer <userId>:<spaceId>"');
  return { id, personalSpaceId, email: '', kind: 'persona', isAdmin: false, destructiveOptIn: false };
}

const context = (tx: DbOrTx, user: SessionUser): ToolContext => ({
  tx,
  user,
  cipher: new FieldCipher(undefined),
  resolveSpace: async () => user.personalSpaceId,
});

async function run(db: Db, spec: ToolSpec, user: SessionUser, args: unknown, meta: unknown) {
  const input = args as never;
  const key = readIdempotencyKey(meta as Record<string, unknown> | undefined).key;
  if (!key) return okResult((await spec.handler(input, context(db, user))) as Record<string, unknown>, {});
  const outcome = await runIdempotent(
    db,
    { userId: user.id, key, tool: spec.name, input },
    (tx) => spec.handler(input, context(tx, user)) as Promise<Record<string, unknown>>,
  );
  if (outcome.kind === 'conflict') throw new Error(outcome.message);
  return okResult(outcome.kind === 'ran' ? outcome.result : outcome.stored, {});
}

serveBareMcp(
  (authorization) => {
    const user = sessionUser(authorization);
    const server = new McpServer({ name: 'bench-bare-sql', version: '0.0.0' });
    for (const spec of [todoList, todoCreate] as unknown as ToolSpec[]) {
      server.registerTool(
        spec.name,
        { description: spec.description, inputSchema: spec.input },
        async (args, extra): Promise<CallToolResult> => run(database.db, spec, user, args, extra._meta),
      );
    }
    return server;
  },
  () => database.close(),
);
