import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import { startTestGateway } from '../support/gateway.ts';
import { initializeRequest, postMcp } from '../support/raw-mcp.ts';

// A local external identity provider: an ES256 key pair whose public half is served as a JWKS.
const IDP_ISSUER = 'https://idp.test';
const AUDIENCE = 'persona-runner-mcp';
const { publicKey, privateKey } = await generateKeyPair('ES256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' };
const jwksServer = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ keys: [jwk] }));
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;

/** A token as the IdP would issue it for `sub`, with whatever email claims the case needs. */
async function idpToken(sub: string, claims: { email?: string; email_verified?: unknown } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
    .setSubject(sub)
    .setIssuer(IDP_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

const gw = await startTestGateway({
  AUTH_JWKS_URL: jwksUrl,
  AUTH_ISSUER: IDP_ISSUER,
  AUTH_AUDIENCE: AUDIENCE,
});

/** Accounts exist through the product's signup (the test helper's token is useless here: not the IdP's). */
const alice = await gw.tokenFor({ email: 'alice@example.com' });
const bob = await gw.tokenFor({ email: 'bob@example.com' });

async function refusedInitialize(token: string): Promise<string> {
  const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  return ((await res.json()) as { error: { message: string } }).error.message;
}

async function personalSpaceOf(token: string): Promise<string> {
  const client = await gw.client(token);
  const res = (await client.callTool({ name: 'space_list', arguments: {} })) as CallToolResult;
  return (res.structuredContent as { spaces: { id: string; type: string }[] }).spaces.find(
    (s) => s.type === 'personal',
  )!.id;
}

async function todoTitles(token: string): Promise<string[]> {
  const client = await gw.client(token);
  const res = (await client.callTool({ name: 'todo_list', arguments: {} })) as CallToolResult;
  return (res.structuredContent as { todos: { title: string }[] }).todos.map((t) => t.title);
}

describe('external identity provider: identities linked by (iss, sub) (issue 8 item 11)', () => {
  test('a verified first link works, and later tokens of the same (iss, sub) map to that user whatever their email claim', async () => {
    const first = await idpToken('alice-at-idp', { email: 'Alice@Example.com', email_verified: true });
    assert.equal(await personalSpaceOf(first), alice.personalSpaceId);
    const client = await gw.client(first);
    await client.callTool({ name: 'todo_create', arguments: { title: 'alice private todo' } });
    assert.equal(await gw.count('identity_links'), 1);

    // No email at all, or another user's (even verified): the link decides, the claim is ignored.
    assert.equal(await personalSpaceOf(await idpToken('alice-at-idp')), alice.personalSpaceId);
    const claimingBob = await idpToken('alice-at-idp', { email: 'bob@example.com', email_verified: true });
    assert.equal(await personalSpaceOf(claimingBob), alice.personalSpaceId);
    assert.deepEqual(await todoTitles(claimingBob), ['alice private todo']);
    assert.equal(await gw.count('identity_links'), 1);
  });

  test("the takeover attempt — another subject with an existing user's email, unverified — gets nothing", async () => {
    for (const verified of [undefined, false, 'true']) {
      const token = await idpToken(`mallory-${String(verified)}`, {
        email: 'bob@example.com',
        email_verified: verified,
      });
      const message = await refusedInitialize(token);
      assert.match(message, /not linked to a user of this product.*email_verified: true/);
    }
    assert.equal(await gw.count('identity_links'), 1, 'no link was made');
    // bob's account is still free for his own verified first link, and his data his own.
    const bobs = await idpToken('bob-at-idp', { email: 'bob@example.com', email_verified: true });
    assert.equal(await personalSpaceOf(bobs), bob.personalSpaceId);
    assert.deepEqual(await todoTitles(bobs), []);
  });

  test('a second subject of the same IdP with the same (verified) email does not take over', async () => {
    const second = await idpToken('alice-second-account', {
      email: 'alice@example.com',
      email_verified: true,
    });
    const message = await refusedInitialize(second);
    // The same words as for an unknown email: the refusal does not reveal that the account exists.
    assert.equal(
      message,
      await refusedInitialize(
        await idpToken('nobody', { email: 'nobody@example.com', email_verified: true }),
      ),
    );
    const links = await gw.database.pool.query(`SELECT sub FROM identity_links ORDER BY sub`);
    assert.deepEqual(
      links.rows.map((r: { sub: string }) => r.sub),
      ['alice-at-idp', 'bob-at-idp'],
    );
    // The original link still works.
    assert.deepEqual(await todoTitles(await idpToken('alice-at-idp')), ['alice private todo']);
  });

  test("the gateway's own tokens do not verify against the external JWKS", async () => {
    const own = await issueToken(
      gw.app.signingKey,
      { ...gw.config.auth, issuer: IDP_ISSUER },
      {
        id: randomUUID(),
        email: 'alice@example.com',
        tier: 'admin',
      },
    );
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token: own.token });
    assert.equal(res.status, 401);
  });
});

describe("built-in identity (no AUTH_JWKS_URL): the gateway's own tokens resolve by user id only", async () => {
  const own = await startTestGateway();
  const carol = await own.tokenFor({ email: 'carol@example.com' });

  test('a token of the own issuer keeps working (sub = user id)', async () => {
    const client = await own.client(carol.token);
    assert.ok((await client.listTools()).tools.length > 0);
  });

  test('a well-signed token for an unknown id does not fall back to the email claim', async () => {
    const forged = await issueToken(own.app.signingKey, own.config.auth, {
      id: randomUUID(),
      email: 'carol@example.com',
      tier: 'free',
    });
    const res = await postMcp(own.mcpUrl, initializeRequest(), { token: forged.token });
    assert.equal(res.status, 401);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /not a user of this product/,
    );
  });
});
