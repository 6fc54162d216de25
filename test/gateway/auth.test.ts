import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT, generateKeyPair } from 'jose';
import { issueToken } from '../../mcp-gateway/identity/tokens.ts';
import { SIGNING_ALG } from '../../mcp-gateway/identity/signing-keys.ts';
import { startTestGateway } from '../support/gateway.ts';
import { sampleValue, scrapeMetrics } from '../support/metrics.ts';
import { initializeRequest, postMcp } from '../support/raw-mcp.ts';

interface OAuthErrorBody {
  error: string;
  error_description: string;
}

/** Asserts a 401 whose WWW-Authenticate header and JSON body both carry the same reason. */
async function assertUnauthorized(res: Response, reason: RegExp): Promise<OAuthErrorBody> {
  assert.equal(res.status, 401);
  const www = res.headers.get('www-authenticate');
  assert.ok(www, 'a 401 must carry WWW-Authenticate');
  assert.match(www, /^Bearer error="invalid_token", error_description="[^"]+"/);
  const body = (await res.json()) as OAuthErrorBody;
  assert.equal(body.error, 'invalid_token');
  assert.match(body.error_description, reason);
  assert.ok(www.includes(`error_description="${body.error_description}"`), www);
  return body;
}

// One gateway for the file: the helper closes it when the file's tests are done.
const gw = await startTestGateway();
const { userId } = await gw.tokenFor({ email: 'auth@example.com' });
const claims = () => ({ iss: gw.config.auth.issuer, aud: gw.config.auth.audience });

describe('bearer auth on /mcp', () => {
  test('a valid token is let through (the control for every 401 below)', async () => {
    const { token } = await issueToken(gw.app.signingKey, gw.config.auth, {
      id: userId,
      email: 'auth@example.com',
      tier: 'free',
    });
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('mcp-session-id'));
  });

  test('no token → 401 with WWW-Authenticate naming the missing header', async () => {
    const before = sampleValue(await scrapeMetrics(gw.url), 'gateway_auth_failures_total');
    const res = await postMcp(gw.mcpUrl, initializeRequest());
    await assertUnauthorized(res, /missing authorization header/i);
    const after = sampleValue(await scrapeMetrics(gw.url), 'gateway_auth_failures_total');
    assert.equal(after - before, 1);
  });

  test('a non-bearer Authorization header → 401', async () => {
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { headers: { Authorization: 'Basic dTpw' } });
    await assertUnauthorized(res, /expected 'Bearer TOKEN'/);
  });

  test('a token signed by another Ed25519 key (same kid, iss, aud) → 401 "bad signature"', async () => {
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519' });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ email: 'auth@example.com', tier: 'admin' })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: gw.app.signingKey.kid, typ: 'JWT' })
      .setIssuer(claims().iss)
      .setAudience(claims().aud)
      .setSubject(userId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token: forged });
    await assertUnauthorized(res, /bad signature/);
  });

  test('an expired token → 401 "token expired"', async () => {
    const { token } = await issueToken(
      gw.app.signingKey,
      gw.config.auth,
      { id: userId, email: 'auth@example.com', tier: 'free' },
      -60,
    );
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    await assertUnauthorized(res, /^token expired$/);
  });

  test('a token for another audience → 401 naming the accepted audience', async () => {
    const { token } = await issueToken(
      gw.app.signingKey,
      { ...gw.config.auth, audience: 'some-other-api' },
      { id: userId, email: 'auth@example.com', tier: 'free' },
    );
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    const body = await assertUnauthorized(res, /wrong audience/);
    assert.ok(body.error_description.includes(gw.config.auth.audience), body.error_description);
  });

  test('a token from another issuer → 401 naming the accepted issuer', async () => {
    const { token } = await issueToken(
      gw.app.signingKey,
      { ...gw.config.auth, issuer: 'https://evil.example' },
      { id: userId, email: 'auth@example.com', tier: 'free' },
    );
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    const body = await assertUnauthorized(res, /wrong issuer/);
    assert.ok(body.error_description.includes(gw.config.auth.issuer), body.error_description);
  });

  test('a token whose kid is not in the JWKS → 401 naming the unknown kid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: SIGNING_ALG, kid: 'not-a-known-kid', typ: 'JWT' })
      .setIssuer(claims().iss)
      .setAudience(claims().aud)
      .setSubject(userId)
      .setExpirationTime(now + 300)
      .sign(gw.app.signingKey.privateKey);
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token });
    await assertUnauthorized(res, /unknown kid/);
  });

  test('garbage in the bearer slot → 401 "malformed token"', async () => {
    const res = await postMcp(gw.mcpUrl, initializeRequest(), { token: 'not.a.jwt' });
    await assertUnauthorized(res, /malformed token/);
  });
});
