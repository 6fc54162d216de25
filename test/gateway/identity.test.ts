import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { startTestGateway } from '../support/gateway.ts';
import { initializeRequest, postMcp } from '../support/raw-mcp.ts';

const gw = await startTestGateway({ AUTH_OPEN_SIGNUP: 'true' });
const pool = gw.database.pool;

const post = (path: string, body: unknown) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const SIGNUP_ACCEPTED = {
  status: 'accepted',
  detail: 'if this email was free it is now registered with this password: log in with it',
};
const userIdOf = async (email: string) =>
  (await pool.query('SELECT id FROM users WHERE email = $1', [email])).rows[0]?.id as string;
interface LoginBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  user_id: string;
}
interface ErrorBody {
  error: string;
  error_description: string;
}

const personalSpaces = async (userId: string) =>
  (
    await pool.query(`SELECT count(*)::int AS n FROM spaces WHERE owner_id = $1 AND type = 'personal'`, [
      userId,
    ])
  ).rows[0].n as number;

describe('built-in identity: signup and login', () => {
  test('signing up twice with the same credentials is idempotent: same user, one personal space', async () => {
    const creds = { email: 'Twice@Example.com', password: 'correct horse battery' };
    const first = await post('/auth/signup', creds);
    assert.equal(first.status, 202);
    assert.deepEqual(await first.json(), SIGNUP_ACCEPTED);
    const a = { user_id: await userIdOf('twice@example.com') };

    const second = await post('/auth/signup', { ...creds, email: 'twice@example.com' });
    assert.equal(second.status, 202);
    assert.deepEqual(await second.json(), SIGNUP_ACCEPTED);

    assert.equal(await personalSpaces(a.user_id), 1);
    const users = await pool.query(`SELECT email FROM users WHERE email = 'twice@example.com'`);
    assert.equal(users.rowCount, 1);
    const vault = await pool.query('SELECT count(*)::int AS n FROM vault_keys WHERE user_id = $1', [
      a.user_id,
    ]);
    assert.equal(vault.rows[0].n, 1);
  });

  test('concurrent signups of one email still make one user and one personal space', async () => {
    const creds = { email: 'race@example.com', password: 'correct horse battery' };
    const answers = await Promise.all(Array.from({ length: 4 }, () => post('/auth/signup', creds)));
    assert.deepEqual(
      answers.map((r) => r.status),
      [202, 202, 202, 202],
    );
    assert.equal((await pool.query(`SELECT id FROM users WHERE email = 'race@example.com'`)).rowCount, 1);
    assert.equal(await personalSpaces(await userIdOf('race@example.com')), 1);
  });

  test('signing up an existing email with another password: the same answer, the account untouched', async () => {
    const email = 'taken@example.com';
    assert.equal((await post('/auth/signup', { email, password: 'first password' })).status, 202);
    const res = await post('/auth/signup', { email, password: 'second password' });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), SIGNUP_ACCEPTED);
    assert.equal((await post('/auth/login', { email, password: 'first password' })).status, 200);
    assert.equal((await post('/auth/login', { email, password: 'second password' })).status, 401);
  });

  test('malformed credentials → 400 naming the field', async () => {
    const res = await post('/auth/signup', { email: 'not-an-email', password: 'short' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as ErrorBody;
    assert.match(body.error_description, /email: expected an email address/);
    assert.match(body.error_description, /password: must be at least 8 characters/);
  });

  test('login with a wrong password → 401; with an unknown email → the same 401', async () => {
    await post('/auth/signup', { email: 'login@example.com', password: 'right password' });
    const wrong = await post('/auth/login', { email: 'login@example.com', password: 'wrong password' });
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as ErrorBody;
    assert.deepEqual(body, { error: 'invalid_grant', error_description: 'invalid email or password' });
    const unknown = await post('/auth/login', { email: 'nobody@example.com', password: 'right password' });
    assert.equal(unknown.status, 401);
    assert.deepEqual(await unknown.json(), body);
  });

  test('login with the right password → a bearer token, valid against the JWKS, that works on /mcp', async () => {
    await post('/auth/signup', { email: 'works@example.com', password: 'right password' });
    const signup = {
      user_id: await userIdOf('works@example.com'),
      personal_space_id: (
        await pool.query(`SELECT id FROM spaces WHERE type = 'personal' AND owner_id = $1`, [
          await userIdOf('works@example.com'),
        ])
      ).rows[0].id as string,
    };
    const res = await post('/auth/login', { email: 'works@example.com', password: 'right password' });
    assert.equal(res.status, 200);
    const login = (await res.json()) as LoginBody;
    assert.equal(login.token_type, 'Bearer');
    assert.equal(login.user_id, signup.user_id);
    assert.ok(login.expires_in > 0 && login.expires_in <= gw.config.auth.tokenTtlSeconds);

    const jwks = (await (await fetch(`${gw.url}/.well-known/jwks.json`)).json()) as { keys: never[] };
    const { payload } = await jwtVerify(login.access_token, createLocalJWKSet({ keys: jwks.keys }), {
      issuer: gw.config.auth.issuer,
      audience: gw.config.auth.audience,
    });
    assert.equal(payload.sub, signup.user_id);

    const client = new Client({ name: 'identity-test', version: '0.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(gw.mcpUrl, {
        requestInit: { headers: { Authorization: `Bearer ${login.access_token}` } },
      }),
    );
    try {
      const spaces = await client.callTool({ name: 'space_list', arguments: {} });
      assert.equal(spaces.isError, undefined);
      const listed = (spaces.structuredContent as { spaces: { id: string }[] }).spaces;
      assert.deepEqual(
        listed.map((s) => s.id),
        [signup.personal_space_id],
      );
    } finally {
      await client.close();
    }
  });

  test('a valid token for a user that no longer exists cannot open a session (401, it authenticates nobody)', async () => {
    const gone = await gw.tokenFor({ email: 'gone@example.com' });
    await pool.query('DELETE FROM users WHERE id = $1', [gone.userId]);
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token: gone.token });
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get('www-authenticate') ?? '',
      /^Bearer error="invalid_token", error_description="[^"]+"$/,
    );
    const body = (await res.json()) as { error: { message: string } };
    assert.match(body.error.message, /not a user of this product/);
  });
});

describe('the personal space', () => {
  test('cannot be deleted on its own (the database trigger refuses)', async () => {
    const u = await gw.tokenFor({ email: 'keeper@example.com' });
    await assert.rejects(
      pool.query('DELETE FROM spaces WHERE id = $1', [u.personalSpaceId]),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'P0001');
        assert.match(err.message, /the personal space .* cannot be deleted/);
        return true;
      },
    );
    assert.equal(await personalSpaces(u.userId), 1);
  });

  test('a non-personal space can be deleted (the trigger is specific)', async () => {
    const u = await gw.tokenFor({ email: 'team-owner@example.com' });
    const team = await pool.query(
      `INSERT INTO spaces (name, type, owner_id) VALUES ('Team', 'team', $1) RETURNING id`,
      [u.userId],
    );
    const del = await pool.query('DELETE FROM spaces WHERE id = $1', [team.rows[0].id]);
    assert.equal(del.rowCount, 1);
  });

  test('goes, with everything else, when its user is deleted (cascade)', async () => {
    const u = await gw.tokenFor({ email: 'leaver@example.com' });
    const client = await gw.client(u.token);
    assert.equal(
      (await client.callTool({ name: 'todo_create', arguments: { title: 'x' } })).isError,
      undefined,
    );
    assert.equal(
      (await client.callTool({ name: 'note_create', arguments: { title: 'x', body: 'y' } })).isError,
      undefined,
    );

    const del = await pool.query('DELETE FROM users WHERE id = $1', [u.userId]);
    assert.equal(del.rowCount, 1);
    const left = await pool.query(
      `SELECT (SELECT count(*) FROM spaces WHERE owner_id = $1)
            + (SELECT count(*) FROM space_memberships WHERE user_id = $1)
            + (SELECT count(*) FROM todos WHERE user_id = $1)
            + (SELECT count(*) FROM notes WHERE user_id = $1)
            + (SELECT count(*) FROM vault_keys WHERE user_id = $1) AS n`,
      [u.userId],
    );
    assert.equal(Number(left.rows[0].n), 0);
    assert.equal((await pool.query('SELECT 1 FROM spaces WHERE id = $1', [u.personalSpaceId])).rowCount, 0);
  });
});
