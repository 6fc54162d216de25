import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import { textOf } from '../support/tool-results.ts';
import { startTestGateway } from '../support/gateway.ts';

const gw = await startTestGateway();
const normal = await gw.tokenFor({ email: 'normal@example.com' });
// Deleting is destructive: under the default POLICY_MODE=enforce the admin needs the opt-in too.
const admin = await gw.tokenFor({ email: 'admin@example.com', tier: 'admin', destructiveOptIn: true });

const userExists = async (id: string) =>
  (await gw.database.pool.query('SELECT 1 FROM users WHERE id = $1', [id])).rowCount === 1;

describe('admin-scope tools', () => {
  test('a normal user does not see admin_* tools, and calling one is a policy error', async () => {
    const client = await gw.client(normal.token);
    const { tools } = await client.listTools();
    assert.ok(
      tools.some((t) => t.name === 'todo_create'),
      'the listing itself works',
    );
    assert.deepEqual(
      tools.filter((t) => t.name.startsWith('admin_')).map((t) => t.name),
      [],
    );

    const res = await client.callTool({ name: 'admin_user_list', arguments: {} });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'policy');
    assert.equal(res._meta?.errorCode, 'POLICY_ADMIN_SCOPE');
    assert.match(textOf(res), /denied by policy: tool admin_user_list requires an admin account/);
    assert.equal(res.structuredContent, undefined);
  });

  test("admin rights come from the account, not from a token's tier claim", async () => {
    const { token } = await issueToken(gw.app.signingKey, gw.config.auth, {
      id: normal.userId,
      email: 'normal@example.com',
      tier: 'admin',
    });
    const client = await gw.client(token);
    const { tools } = await client.listTools();
    assert.ok(!tools.some((t) => t.name.startsWith('admin_')));
    const res = await client.callTool({ name: 'admin_user_list', arguments: {} });
    assert.equal(res._meta?.errorCode, 'POLICY_ADMIN_SCOPE');
  });

  test('a normal user cannot delete a persona through admin_persona_delete', async () => {
    const persona = await gw.tokenFor({ email: 'persona-survivor@example.com', kind: 'persona' });
    const client = await gw.client(normal.token);
    const res = await client.callTool({
      name: 'admin_persona_delete',
      arguments: { user_id: persona.userId },
    });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'policy');
    assert.ok(await userExists(persona.userId));
  });

  test('an admin sees the admin tools and admin_user_list lists accounts', async () => {
    const client = await gw.client(admin.token);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('admin_user_list'));
    assert.ok(names.includes('admin_persona_delete'));
    const del = tools.find((t) => t.name === 'admin_persona_delete');
    assert.equal(del?.annotations?.destructiveHint, true);

    const res = await client.callTool({ name: 'admin_user_list', arguments: { kind: 'human' } });
    assert.equal(res.isError, undefined, textOf(res));
    const { users } = res.structuredContent as {
      users: { id: string; email: string; kind: string; tier: string }[];
    };
    const emails = users.map((u) => u.email);
    assert.ok(emails.includes('normal@example.com'));
    assert.ok(emails.includes('admin@example.com'));
    assert.ok(users.every((u) => u.kind === 'human'));
    assert.equal(users.find((u) => u.email === 'admin@example.com')?.tier, 'admin');
  });

  test('admin_persona_delete refuses a human account and leaves it in place', async () => {
    const client = await gw.client(admin.token);
    const res = await client.callTool({
      name: 'admin_persona_delete',
      arguments: { user_id: normal.userId },
    });
    assert.equal(res.isError, true);
    assert.equal(res._meta?.errorClass, 'persona');
    assert.match(textOf(res), /normal@example\.com is a human account, not a persona; refusing to delete it/);
    assert.ok(await userExists(normal.userId));
  });

  test('admin_persona_delete deletes a persona and everything it owns', async () => {
    const persona = await gw.tokenFor({ email: 'persona-doomed@example.com', kind: 'persona' });
    const personaClient = await gw.client(persona.token);
    const made = await personaClient.callTool({ name: 'todo_create', arguments: { title: 'persona todo' } });
    assert.equal(made.isError, undefined);
    const owned = async () =>
      Number(
        (
          await gw.database.pool.query(
            `SELECT (SELECT count(*) FROM todos WHERE user_id = $1)
                  + (SELECT count(*) FROM spaces WHERE owner_id = $1)
                  + (SELECT count(*) FROM vault_keys WHERE user_id = $1) AS n`,
            [persona.userId],
          )
        ).rows[0].n,
      );
    assert.equal(await owned(), 3);

    const client = await gw.client(admin.token);
    const res = await client.callTool({
      name: 'admin_persona_delete',
      arguments: { user_id: persona.userId },
    });
    assert.equal(res.isError, undefined, textOf(res));
    assert.deepEqual(res.structuredContent, {
      deleted: true,
      user_id: persona.userId,
      email: 'persona-doomed@example.com',
    });
    assert.equal(await userExists(persona.userId), false);
    assert.equal(await owned(), 0);
  });

  test('admin_persona_delete names an unknown user id', async () => {
    const client = await gw.client(admin.token);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const res = await client.callTool({ name: 'admin_persona_delete', arguments: { user_id: ghost } });
    assert.equal(res.isError, true);
    assert.match(textOf(res), new RegExp(`no user ${ghost}`));
  });
});
