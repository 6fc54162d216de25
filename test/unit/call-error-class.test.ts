import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { classifyCallError, classifyResult } from '../../activities/tick/call-error-class.ts';
import { staleSessionReason } from '../../activities/mcp/session-slot.ts';

// What a tool call can throw, and which side it is on. Only the gateway's verdict on the request
// (JSON-RPC invalid params) blames the persona; every transport or server failure is infra.
const thrown: Array<[string, unknown, 'persona' | 'infra']> = [
  ['invalid params (validation)', new McpError(ErrorCode.InvalidParams, 'bad todo_id'), 'persona'],
  ['-32000 Connection closed', new McpError(ErrorCode.ConnectionClosed, 'Connection closed'), 'infra'],
  ['request timeout', new McpError(ErrorCode.RequestTimeout, 'Request timed out'), 'infra'],
  ['internal error (gateway database down)', new McpError(ErrorCode.InternalError, 'db down'), 'infra'],
  ['method not found', new McpError(ErrorCode.MethodNotFound, 'no such method'), 'infra'],
  [
    'HTTP 404 stale session',
    new StreamableHTTPError(404, 'Error POSTing to endpoint: session x not found'),
    'infra',
  ],
  ['HTTP 502', new StreamableHTTPError(502, 'Bad gateway'), 'infra'],
  ['HTTP 503', new StreamableHTTPError(503, 'unavailable'), 'infra'],
  [
    'fetch failed (connection refused)',
    new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }),
    'infra',
  ],
  ['socket reset', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'infra'],
  ['not an Error', 'weird', 'infra'],
];

for (const [what, err, expected] of thrown) {
  test(`thrown: ${what} → ${expected}`, () => {
    assert.equal(classifyCallError(err), expected);
  });
}

const result = (isError: boolean, meta?: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: 'x' }],
  ...(isError && { isError }),
  ...(meta && { _meta: meta }),
});

test('results: the class the gateway states, product when it states none, nothing on success', () => {
  assert.equal(classifyResult(result(false)), undefined);
  assert.equal(classifyResult(result(false, { errorClass: 'persona' })), undefined);
  assert.equal(classifyResult(result(true, { errorClass: 'persona' })), 'persona');
  assert.equal(classifyResult(result(true, { errorClass: 'policy' })), 'policy');
  assert.equal(classifyResult(result(true, { errorClass: 'product' })), 'product');
  assert.equal(classifyResult(result(true, { errorClass: 'infra' })), 'infra');
  assert.equal(classifyResult(result(true)), 'product');
  assert.equal(classifyResult(result(true, { errorClass: 'nonsense' })), 'product');
});

test('a stale session (404, closed connection) or an expired token makes a call repeat on a new session', () => {
  assert.equal(staleSessionReason(new StreamableHTTPError(404, 'not found')), 'session');
  assert.equal(staleSessionReason(new StreamableHTTPError(401, 'expired')), 'token');
  assert.equal(staleSessionReason(new McpError(ErrorCode.ConnectionClosed, 'Connection closed')), 'session');
  assert.equal(staleSessionReason(new Error('Session not found')), 'session');
  assert.equal(staleSessionReason(new StreamableHTTPError(503, 'down')), undefined);
  assert.equal(staleSessionReason(new TypeError('fetch failed')), undefined);
  assert.equal(staleSessionReason(new McpError(ErrorCode.InvalidParams, 'bad')), undefined);
});
