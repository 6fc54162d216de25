// Issue 8 items 10 and 16: privileges are re-read on every request of an open session (a demoted
// admin loses admin tools at once), a token for a user that does not exist is a 401, and
// WWW-Authenticate stays well-formed whatever the reason text holds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import { startTestGateway } from '../support/gateway.ts';
import { initializeRequest, openSession, postMcp, toolsListRequest } from '../support/raw-mcp.ts';

const gw = await startTestGateway();
const pool = gw.database.pool;
const toolNames = async (client: Awaited<ReturnType<typeof gw.client>>) =>
  (await client.listTools()).tools.map((t) => t.name);

describe('privileges are re-checked per request', () => {
  test('a demoted admin loses admin tools in the session already open: not listed, and refused', async () => {
    const admin = await gw.tokenFor({ email: 'demoted@example.com', tier: 'admin' });
    const client = await gw.client(admin.token);
    assert.ok((await toolNames(client)).includes('admin_user_list'));
    const before = await client.callTool({ name: 'admin_user_list', arguments: {} });
    assert.equal(before.isError, undefined);

    await pool.query(`UPDATE users SET tier = 'free' WHERE id = $1`, [admin.userId]);

    assert.ok(!(await toolNames(client)).includes('admin_user_list'), 'no longer listed');
    const after = await client.callTool({ name: 'admin_user_list', arguments: {} });
    assert.equal(after.isError, true);
    assert.equal(after._meta?.errorClass, 'policy');
  });

  test('a revoked destructive opt-in applies to the next call of the open session', async () => {
    const u = await gw.tokenFor({ email: 'revoked@example.com', destructiveOptIn: true });
    const client = await gw.client(u.token);
    const create = async () =>
      (
        (await client.callTool({ name: 'note_create', arguments: { title: 't', body: 'b' } }))
          .structuredContent as {
          note: { id: string };
        }
      ).note.id;
    const first = await client.callTool({ name: 'note_delete', arguments: { note_id: await create() } });
    assert.equal(first.isError, undefined);
    await pool.query('UPDATE users SET destructive_opt_in = false WHERE id = $1', [u.userId]);
    const second = await client.callTool({ name: 'note_delete', arguments: { note_id: await create() } });
    assert.equal(second.isError, true);
    assert.equal(second._meta?.errorCode, 'POLICY_DESTRUCTIVE_NOT_OPTED_IN');
  });

  test('a user deleted while its session is open: the next request is a 401 and the session is gone', async () => {
    const u = await gw.tokenFor({ email: 'deleted-midway@example.com' });
    const sessionId = await openSession(gw.mcpUrl, u.token);
    await pool.query('DELETE FROM users WHERE id = $1', [u.userId]);
    const res = await postMcp(gw.mcpUrl, toolsListRequest(), { token: u.token, sessionId });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    const again = await postMcp(gw.mcpUrl, toolsListRequest(), { token: u.token, sessionId });
    assert.equal(again.status, 404);
  });
});

// Issue 12: a call whose outcome does not depend on privileges skips the re-read while the last one is
// younger than GATEWAY_PRIVILEGE_MAX_AGE_MS; tools/list, admin and destructive calls never skip it.
describe('unprivileged calls and GATEWAY_PRIVILEGE_MAX_AGE_MS', () => {
  const todoList = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'todo_list', arguments: {} } };

  test('within the max age a plain call uses the last read; the next tools/list re-reads (401)', async () => {
    const lenient = await startTestGateway({ GATEWAY_PRIVILEGE_MAX_AGE_MS: '60000' });
    const u = await lenient.tokenFor({ email: 'stale-ok@example.com' });
    const sessionId = await openSession(lenient.mcpUrl, u.token);
    await lenient.database.pool.query('DELETE FROM users WHERE id = $1', [u.userId]);
    // Not re-read: the call runs (and finds nothing: the user's rows went with it).
    const call = await postMcp(lenient.mcpUrl, todoList, { token: u.token, sessionId });
    assert.equal(call.status, 200);
    const body = (await call.json()) as { result: { structuredContent: { todos: unknown[] } } };
    assert.deepEqual(body.result.structuredContent.todos, []);
    const list = await postMcp(lenient.mcpUrl, toolsListRequest(), { token: u.token, sessionId });
    assert.equal(list.status, 401, 'tools/list always re-reads');
  });

  test('past the max age (0 here) a plain call re-reads too: a deleted user gets 401', async () => {
    const strict = await startTestGateway({ GATEWAY_PRIVILEGE_MAX_AGE_MS: '0' });
    const u = await strict.tokenFor({ email: 'stale-no@example.com' });
    const sessionId = await openSession(strict.mcpUrl, u.token);
    await strict.database.pool.query('DELETE FROM users WHERE id = $1', [u.userId]);
    const call = await postMcp(strict.mcpUrl, todoList, { token: u.token, sessionId });
    assert.equal(call.status, 401);
  });
});

describe('unknown subjects and WWW-Authenticate (item 16)', () => {
  test('a well-signed token for a user id that never existed → 401 with a bearer challenge', async () => {
    const { token } = await issueToken(gw.app.signingKey, gw.config.auth, {
      id: '00000000-0000-4000-8000-000000000000',
      email: 'ghost@example.com',
      tier: 'free',
    } as never);
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer error="invalid_token", error_description="[^"]+"$/,
    );
  });

  test('a reason that quotes a value (wrong audience) still yields a well-formed header', async () => {
    const { token } = await issueToken(gw.app.signingKey, { ...gw.config.auth, audience: 'some-other-api' }, {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'x@example.com',
      tier: 'free',
    } as never);
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    assert.equal(res.status, 401);
    const www = res.headers.get('www-authenticate') ?? '';
    // Exactly two quoted-strings, each closed: error and error_description.
    assert.match(www, /^Bearer error="invalid_token", error_description="[^"\\]*"$/, www);
    assert.match(www, /wrong audience/);
    await res.body?.cancel();
  });
});
