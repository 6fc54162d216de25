import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signupUser } from '../../lib/demo-product/signup.ts';
import { DISCOVERY_USER } from '../../mcp-gateway/upstream/product-upstream.ts';
import { startTestGateway } from '../support/gateway.ts';

// Issue 22: with open signup, the discovery session's identity or a persona's address could be
// registered — and with it what upstream products know by that email. Now refused; and
// `${user.secret}` is bound to the user id (test/unit/products-config.test.ts).
const gw = await startTestGateway({ AUTH_OPEN_SIGNUP: 'true' });
const signup = (email: string) =>
  fetch(`${gw.url}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a good long password' }),
  });
await signupUser(gw.database.db, gw.kek, { email: 'maya@crew.people.dev', kind: 'persona' });

describe('open signup and the identities of the gateway and the personas', () => {
  for (const [email, whose] of [
    [DISCOVERY_USER.email, "the gateway's discovery session"],
    ['Gateway-Discovery@GATEWAY.invalid', 'the same, in other case'],
    ['ghost@personas.test', 'a special-use domain personas use'],
    ['former.persona@crew.people.dev', "a domain a persona's email uses"],
  ] as const) {
    test(`${email} (${whose}) cannot be signed up`, async () => {
      const res = await signup(email);
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, /belong to personas and to the gateway itself/);
      assert.equal(await gw.count(`users WHERE lower(email) = '${email.toLowerCase()}'`), 0);
    });
  }

  test('an ordinary address still can', async () => {
    assert.equal((await signup('human@people.dev')).status, 202);
    assert.equal(await gw.count(`users WHERE email = 'human@people.dev'`), 1);
  });
});
