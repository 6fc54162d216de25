// A real third-party MCP client against a real gateway: the MCP Inspector CLI (pinned devDependency)
// lists and calls tools with a bearer token that the real `personas token` CLI printed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { startTestGateway } from '../support/gateway.ts';
import { TEST_KEK_B64 } from '../support/secrets.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INSPECTOR = path.join(ROOT, 'node_modules/.bin/mcp-inspector');
const PERSONAS = path.join(ROOT, 'scripts/bin/personas.js');

// Fixed (and not the default http://localhost:3069), so the token the CLI issues carries the issuer
// the test gateway expects only if the env really reaches the CLI (issuer defaults to
// GATEWAY_PUBLIC_URL); nothing listens there, it is only the issuer and an allowed Host.
const GATEWAY_ENV = {
  GATEWAY_PUBLIC_URL: 'http://localhost:39069',
  LOG_LEVEL: 'silent',
  VAULT_KEK: TEST_KEK_B64,
};

/**
 * The environment of a child process: the parent's, without anything that would make the child's
 * gateway config differ from the test gateway's (which reads only the env it is given).
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AUTH_|GATEWAY_|VAULT_|POLICY_|DATABASE_URL$|NODE_ENV$|PERSONA_DATA_DIR$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CI: 'true', ...extra };
}

async function inspector(mcpUrl: string, token: string, args: string[]): Promise<unknown> {
  const argv = [
    '--cli',
    mcpUrl,
    '--transport',
    'http',
    '--header',
    `Authorization: Bearer ${token}`,
    ...args,
  ];
  const { stdout } = await run(INSPECTOR, argv, {
    cwd: ROOT,
    env: childEnv({}),
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

test('the MCP Inspector CLI lists and calls tools with a token from `personas token`', async () => {
  const gw = await startTestGateway(GATEWAY_ENV);

  // 1. The real token command, on the test's scratch database, prints only the token.
  const { stdout: tokenOut } = await run(process.execPath, [PERSONAS, 'token', 'inspector@example.com'], {
    cwd: ROOT,
    env: childEnv({ ...GATEWAY_ENV, DATABASE_URL: gw.database.url }),
    timeout: 60_000,
  });
  assert.match(tokenOut, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'stdout is exactly one JWT and a newline');
  const token = tokenOut.trim();
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    iss: string;
    aud: string | string[];
  };
  assert.equal(claims.iss, gw.config.auth.issuer);
  assert.equal(claims.iss, GATEWAY_ENV.GATEWAY_PUBLIC_URL);
  const user = await gw.database.pool.query('SELECT id FROM users WHERE email = $1', [
    'inspector@example.com',
  ]);
  assert.equal(user.rowCount, 1, 'the token command created the user in the scratch database');
  const userId = user.rows[0].id as string;

  const mcpUrl = gw.mcpUrl.toString();

  // 2. tools/list
  const listed = (await inspector(mcpUrl, token, ['--method', 'tools/list'])) as {
    tools: { name: string }[];
  };
  const names = listed.tools.map((t) => t.name);
  assert.ok(names.includes('todo_create'), `todo_create in ${names.join(', ')}`);
  assert.ok(!names.some((n) => n.startsWith('admin_')), 'no admin tools for a non-admin user');

  // 3. tools/call
  assert.equal(await gw.count('todos'), 0);
  const called = (await inspector(mcpUrl, token, [
    '--method',
    'tools/call',
    '--tool-name',
    'todo_create',
    '--tool-arg',
    'title=Inspector todo',
  ])) as { isError?: boolean; structuredContent?: { todo?: { id: string; title: string } } };
  assert.notEqual(called.isError, true, JSON.stringify(called));
  assert.equal(called.structuredContent?.todo?.title, 'Inspector todo');

  const rows = await gw.database.pool.query('SELECT id, user_id, title FROM todos');
  assert.deepEqual(rows.rows, [
    { id: called.structuredContent.todo.id, user_id: userId, title: 'Inspector todo' },
  ]);
});
