import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError } from '../../lib/config/env.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { InsecureKekError, resolveKek } from '../../lib/demo-product/kek.ts';
import { startTestGateway } from '../support/gateway.ts';

/** The ConfigError thrown for `env`, failing the test if none is. */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadGatewayConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`loadGatewayConfig accepted ${JSON.stringify(env)}`);
}

describe('gateway configuration', () => {
  test('defaults: enforce policy, 30 calls per 60 s, 1mb bodies, issuer = public URL', () => {
    const c = loadGatewayConfig({});
    assert.equal(c.port, 3069);
    assert.equal(c.publicUrl, 'http://localhost:3069');
    assert.equal(c.auth.issuer, 'http://localhost:3069');
    assert.equal(c.auth.audience, 'persona-runner-mcp');
    assert.equal(c.auth.jwksUrl, undefined);
    assert.deepEqual(c.policy, { mode: 'enforce', rateLimit: 30, rateWindowMs: 60_000 });
    assert.equal(c.bodyLimit, '1mb');
    assert.equal(c.vaultKek, undefined);
    assert.equal(c.production, false);
  });

  test('every invalid variable is reported at once, each by name', () => {
    const err = configErrorFor({ POLICY_MODE: 'strict', GATEWAY_PORT: 'abc', VAULT_KEK: 'short' });
    assert.match(err.message, /POLICY_MODE \("strict"\): expected one of off \| log-only \| enforce/);
    assert.match(err.message, /GATEWAY_PORT \("abc"\): expected a number$/m);
    assert.match(err.message, /VAULT_KEK \(<redacted>\): expected 32 bytes, base64-encoded/);
    assert.ok(!err.message.includes('short'), 'the secret value itself is never echoed');
    assert.equal(err.code, 'CONFIG_INVALID');
  });

  test('one bad variable is reported alone', () => {
    const err = configErrorFor({ GATEWAY_BODY_LIMIT: 'huge' });
    assert.match(err.message, /GATEWAY_BODY_LIMIT \("huge"\): expected a size such as 512kb or 1mb/);
    assert.ok(!/POLICY_MODE|GATEWAY_PORT|VAULT_KEK/.test(err.message));
  });

  test('other malformed values name their variable', () => {
    assert.match(configErrorFor({ GATEWAY_PUBLIC_URL: 'localhost' }).message, /GATEWAY_PUBLIC_URL/);
    assert.match(configErrorFor({ AUTH_JWKS_URL: 'jwks.json' }).message, /AUTH_JWKS_URL/);
    assert.match(configErrorFor({ POLICY_RATE_LIMIT: '0' }).message, /POLICY_RATE_LIMIT/);
    assert.match(configErrorFor({ GATEWAY_PORT: '70000' }).message, /GATEWAY_PORT/);
  });

  test('empty strings count as unset: defaults apply', () => {
    const c = loadGatewayConfig({
      POLICY_MODE: '',
      GATEWAY_PORT: '',
      VAULT_KEK: '',
      GATEWAY_BODY_LIMIT: '  ',
      AUTH_AUDIENCE: '',
      POLICY_RATE_LIMIT: '',
    });
    assert.equal(c.policy.mode, 'enforce');
    assert.equal(c.port, 3069);
    assert.equal(c.vaultKek, undefined);
    assert.equal(c.bodyLimit, '1mb');
    assert.equal(c.auth.audience, 'persona-runner-mcp');
    assert.equal(c.policy.rateLimit, 30);
  });

  test('set values are used', () => {
    const kek = randomBytes(32);
    const c = loadGatewayConfig({
      POLICY_MODE: 'enforce',
      POLICY_RATE_LIMIT: '5',
      POLICY_RATE_WINDOW_SECONDS: '10',
      GATEWAY_PORT: '4000',
      GATEWAY_PUBLIC_URL: 'https://gw.example.com/',
      AUTH_ISSUER: 'https://idp.example.com',
      GATEWAY_ALLOWED_HOSTS: 'gw.example.com, ,localhost',
      VAULT_KEK: kek.toString('base64'),
    });
    assert.deepEqual(c.policy, { mode: 'enforce', rateLimit: 5, rateWindowMs: 10_000 });
    assert.equal(c.port, 4000);
    assert.equal(c.publicUrl, 'https://gw.example.com');
    assert.equal(c.auth.issuer, 'https://idp.example.com');
    assert.deepEqual(c.allowedHosts, ['gw.example.com', 'localhost']);
    assert.ok(c.vaultKek?.equals(kek));
  });
});

describe('key-encryption key', () => {
  test('NODE_ENV=production without VAULT_KEK: resolveKek refuses to start', () => {
    const c = loadGatewayConfig({ NODE_ENV: 'production' });
    assert.equal(c.production, true);
    assert.throws(
      () => resolveKek(c),
      (err: Error) =>
        err instanceof InsecureKekError && /VAULT_KEK is unset in production mode/.test(err.message),
    );
  });

  test('the gateway itself will not start in production without a key', async () => {
    await assert.rejects(startTestGateway({ NODE_ENV: 'production', VAULT_KEK: '' }), InsecureKekError);
  });

  test('NODE_ENV=production with an empty VAULT_KEK is the same refusal', () => {
    const c = loadGatewayConfig({ NODE_ENV: 'production', VAULT_KEK: '' });
    assert.throws(() => resolveKek(c), InsecureKekError);
  });

  test('production with a configured VAULT_KEK uses it', () => {
    const kek = randomBytes(32);
    const prod = loadGatewayConfig({ NODE_ENV: 'production', VAULT_KEK: kek.toString('base64') });
    assert.ok(resolveKek(prod).equals(kek));
  });
});
