import { and, eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';
import { identityLinks, users } from '../../schema/index.ts';
import type { TokenClaims } from './tokens.ts';

/**
 * One message for every refusal (no verified email, no such user, user already linked to another
 * subject of this issuer, not a person's account): a token holder learns nothing about which emails
 * have accounts here.
 */
export const UNLINKED_IDENTITY =
  'this identity provider subject is not linked to a user of this product; a first link needs a token ' +
  'with email_verified: true for the email of an existing account not yet linked to this issuer';

/**
 * The product user an external IdP's (iss, sub) stands for, or undefined (refuse). A known link
 * decides alone — a later token's email claim, verified or not, changes nothing. An unknown subject
 * is linked once, to the human user with that email, only when the IdP vouches for the email
 * (`email_verified: true`) and that user has no subject of this issuer yet (a unique index makes the
 * check and the insert one atomic step, so two subjects racing for one account cannot both win).
 * Otherwise nobody: creating an account from a token would reopen the closed signup, and an unverified
 * email could not be given a new account anyway (emails are unique), so refusing is the safe choice.
 */
export async function resolveLinkedUser(db: Db, claims: TokenClaims): Promise<string | undefined> {
  const known = await linkedUser(db, claims);
  if (known) return known;
  if (!claims.email || !claims.emailVerified) return undefined;
  const [owner] = await db
    .select({ id: users.id })
    .from(users)
    // Personas and system users log in with the built-in identity only; an IdP never speaks for them.
    .where(and(eq(users.email, claims.email.toLowerCase()), eq(users.kind, 'human')))
    .limit(1);
  if (!owner) return undefined;
  await db
    .insert(identityLinks)
    .values({ iss: claims.iss, sub: claims.sub, userId: owner.id })
    .onConflictDoNothing();
  // Read back rather than trust the insert: a concurrent first link of the same subject may have won.
  return linkedUser(db, claims);
}

async function linkedUser(db: Db, claims: TokenClaims): Promise<string | undefined> {
  const [link] = await db
    .select({ userId: identityLinks.userId })
    .from(identityLinks)
    .where(and(eq(identityLinks.iss, claims.iss), eq(identityLinks.sub, claims.sub)))
    .limit(1);
  return link?.userId;
}
