import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway } from '../support/gateway.ts';
import { openSession, postMcp, toolsListRequest } from '../support/raw-mcp.ts';

interface JsonRpcError {
  error: { code: number; message: string };
}
interface ToolsListResponse {
  result: { tools: { name: string }[] };
}

const gw = await startTestGateway();
const alice = await gw.tokenFor({ email: 'alice@example.com' });
const bob = await gw.tokenFor({ email: 'bob@example.com' });

describe('sessions belong to the user who opened them', () => {
  test('the owner can use the session it opened', async () => {
    const sessionId = await openSession(gw.mcpUrl, alice.token);
    const res = await postMcp(gw.mcpUrl, toolsListRequest(), { token: alice.token, sessionId });
    assert.equal(res.status, 200);
    const body = (await res.json()) as ToolsListResponse;
    assert.ok(body.result.tools.some((t) => t.name === 'todo_create'));
  });

  test("another user presenting the session id → 403, and the owner's session keeps working", async () => {
    const sessionId = await openSession(gw.mcpUrl, alice.token);
    const res = await postMcp(gw.mcpUrl, toolsListRequest(), { token: bob.token, sessionId });
    assert.equal(res.status, 403);
    const body = (await res.json()) as JsonRpcError;
    assert.match(body.error.message, /belongs to another user/);

    const again = await postMcp(gw.mcpUrl, toolsListRequest(3), { token: alice.token, sessionId });
    assert.equal(again.status, 200);
  });

  test('another user cannot close the session with DELETE; the owner can, and then it is gone (404)', async () => {
    const sessionId = await openSession(gw.mcpUrl, alice.token);
    const headers = { 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': LATEST_PROTOCOL_VERSION };
    const byBob = await fetch(gw.mcpUrl, {
      method: 'DELETE',
      headers: { ...headers, Authorization: `Bearer ${bob.token}` },
    });
    assert.equal(byBob.status, 403);
    assert.equal(
      (await postMcp(gw.mcpUrl, toolsListRequest(), { token: alice.token, sessionId })).status,
      200,
    );

    const byAlice = await fetch(gw.mcpUrl, {
      method: 'DELETE',
      headers: { ...headers, Authorization: `Bearer ${alice.token}` },
    });
    assert.equal(byAlice.status, 200);
    const after = await postMcp(gw.mcpUrl, toolsListRequest(), { token: alice.token, sessionId });
    assert.equal(after.status, 404);
  });

  test('an unknown session id → 404 telling the client to initialize again', async () => {
    const res = await postMcp(gw.mcpUrl, toolsListRequest(), { token: alice.token, sessionId: randomUUID() });
    assert.equal(res.status, 404);
    const body = (await res.json()) as JsonRpcError;
    assert.match(body.error.message, /not found.*initialize/);
  });

  test('a non-initialize POST without a session id → 400 naming the missing header', async () => {
    const res = await postMcp(gw.mcpUrl, toolsListRequest(), { token: alice.token });
    assert.equal(res.status, 400);
    const body = (await res.json()) as JsonRpcError;
    assert.match(body.error.message, /missing Mcp-Session-Id/);
  });

  test('a GET without a session id → 400', async () => {
    const res = await fetch(gw.mcpUrl, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${alice.token}` },
    });
    assert.equal(res.status, 400);
    await res.body?.cancel();
  });

  test('each initialize opens a distinct session, counted on /health', async () => {
    const before = ((await (await fetch(`${gw.url}/health`)).json()) as { sessions: number }).sessions;
    const a = await openSession(gw.mcpUrl, alice.token);
    const b = await openSession(gw.mcpUrl, bob.token);
    assert.notEqual(a, b);
    const after = ((await (await fetch(`${gw.url}/health`)).json()) as { sessions: number }).sessions;
    assert.equal(after - before, 2);
  });
});
