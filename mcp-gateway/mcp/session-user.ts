import { and, eq } from 'drizzle-orm';
import { spaces, users } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { loadMasterKey } from '../../lib/demo-product/vault.ts';
import { resolveLinkedUser, UNLINKED_IDENTITY } from '../identity/identity-links.ts';
import type { TokenClaims } from '../identity/tokens.ts';
import type { SessionUser } from '../tools/tool-spec.ts';
import type { CallSession } from './call-tool.ts';
import { PersonaRunnerError } from '../../lib/errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown when a verified token names nobody this product knows (or one without a personal space). */
export class UnknownSubjectError extends PersonaRunnerError {
  override readonly code = 'UNKNOWN_SUBJECT';
}

/**
 * Resolves a token's subject to a product user, once per session. The gateway's own tokens carry the
 * user id as `sub`, and only that is used (no email fallback: a claim is not an identity). An external
 * IdP's token is resolved through its (iss, sub) link (resolveLinkedUser), never by email alone.
 */
export async function resolveSessionUser(db: Db, kek: Buffer, claims: TokenClaims): Promise<CallSession> {
  let userId: string | undefined;
  if (claims.external) {
    userId = await resolveLinkedUser(db, claims);
    if (!userId) throw new UnknownSubjectError(UNLINKED_IDENTITY);
  } else {
    if (!UUID.test(claims.sub)) throw new UnknownSubjectError('token subject is not a user id');
    userId = claims.sub;
  }
  const [row] = await db
    .select({ user: users, spaceId: spaces.id })
    .from(users)
    .leftJoin(spaces, and(eq(spaces.ownerId, users.id), eq(spaces.type, 'personal')))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw new UnknownSubjectError('token subject is not a user of this product; sign up first');
  if (!row.spaceId) throw new UnknownSubjectError(`user ${row.user.email} has no personal space`);
  const user: SessionUser = {
    id: row.user.id,
    email: row.user.email,
    kind: row.user.kind,
    isAdmin: row.user.tier === 'admin',
    destructiveOptIn: row.user.destructiveOptIn,
    personalSpaceId: row.spaceId,
  };
  return { user, masterKey: await loadMasterKey(db, kek, user.id) };
}
