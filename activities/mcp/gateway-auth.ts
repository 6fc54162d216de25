import { ApplicationFailure } from '@temporalio/common';
import { TICK_FAILURES } from '../../workflows/tick-contract.ts';

/**
 * Logs a persona in through the product's own login endpoint. The password is derived by the
 * caller and lives only in this call; the token is returned to the in-process cache, never to
 * Temporal.
 */
export async function loginViaGateway(
  gatewayUrl: string,
  email: string,
  password: string,
): Promise<{ token: string; expiresAt: number }> {
  let res: Response;
  try {
    res = await fetch(`${gatewayUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw ApplicationFailure.create({
      type: TICK_FAILURES.gatewayUnavailable.type,
      message: `gateway unreachable at ${gatewayUrl} (${(err as Error).message})`,
    });
  }
  if (res.status === 401) {
    throw ApplicationFailure.nonRetryable(
      `the gateway refused ${email}'s derived password: was the persona seeded with another PERSONA_SEED_SECRET? Re-run \`personas seed\``,
      TICK_FAILURES.loginRefused.type,
    );
  }
  // Any other refusal of the request itself (400: the gateway's own validation; 403, 404…) comes back
  // the same on every retry: failing at once names it, where retrying would spend the login budget.
  // Throttling (429) and timeouts (408) pass; 5xx is the gateway's trouble and is retried.
  if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
    const body = (await res.json().catch(() => ({}))) as { error_description?: unknown };
    const why = typeof body.error_description === 'string' ? `: ${body.error_description.slice(0, 300)}` : '';
    throw ApplicationFailure.nonRetryable(
      `the gateway refused the login request for ${email} (${res.status}${why})`,
      TICK_FAILURES.loginRefused.type,
    );
  }
  if (!res.ok) {
    throw ApplicationFailure.create({
      type: TICK_FAILURES.gatewayUnavailable.type,
      message: `gateway login answered ${res.status}`,
    });
  }
  const body = (await res.json()) as { access_token: string; expires_in: number };
  return { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}
