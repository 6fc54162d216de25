import { and, eq, or } from 'drizzle-orm';
import { spaces, users } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { loadMasterKey } from '../../lib/product/vault.ts';
import type { TokenClaims } from '../identity/tokens.ts';
import type { SessionUser } from '../tools/tool-spec.ts';
import type { CallSession } from './call-tool.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown when a verified token names nobody this product knows (or one without a personal space). */
export class UnknownSubjectError extends Error {
  readonly code = 'UNKNOWN_SUBJECT';
  constructor(message: string) {
    super(message);
    this.name = 'UnknownSubjectError';
  }
}

/**
 * Resolves a token's subject to a product user, once per session: by id (the built-in identity puts
 * the user id in `sub`) or by the `email` claim (an external identity provider).
 */
export async function resolveSessionUser(db: Db, kek: Buffer, claims: TokenClaims): Promise<CallSession> {
  const byId = UUID.test(claims.sub) ? eq(users.id, claims.sub) : undefined;
  const byEmail = claims.email ? eq(users.email, claims.email.toLowerCase()) : undefined;
  if (!byId && !byEmail)
    throw new UnknownSubjectError('token has neither a user id subject nor an email claim');
  const [row] = await db
    .select({ user: users, spaceId: spaces.id })
    .from(users)
    .leftJoin(spaces, and(eq(spaces.ownerId, users.id), eq(spaces.type, 'personal')))
    .where(or(byId, byEmail))
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
