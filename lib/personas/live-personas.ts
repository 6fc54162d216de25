import { eq, or, type SQL } from 'drizzle-orm';
import { personas, users } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import type { Cadence } from '../../schema/vocabulary.ts';

export interface LivePersona {
  personaId: string;
  userId: string;
  email: string;
  displayName: string;
  archetype: string;
  cadence: Cadence;
  timezone: string;
  moduleMix: Record<string, number>;
  paused: boolean;
  lastActiveAt: Date | null;
  /** The account is opted into destructive tools (catalog `destructive`, `personas token --destructive`). */
  destructive: boolean;
}

/** Every persona in the database, with its user's email. */
export async function livePersonas(db: Db, where?: SQL): Promise<LivePersona[]> {
  const rows = await db
    .select({
      personaId: personas.id,
      userId: users.id,
      email: users.email,
      displayName: personas.displayName,
      archetype: personas.archetype,
      cadence: personas.cadence,
      timezone: personas.timezone,
      moduleMix: personas.moduleMix,
      paused: personas.paused,
      lastActiveAt: personas.lastActiveAt,
      destructive: users.destructiveOptIn,
    })
    .from(personas)
    .innerJoin(users, eq(users.id, personas.userId))
    .where(where)
    .orderBy(users.email);
  return rows;
}

/** Drift between the live set and a catalog: personas only in one of them. */
export function drift(live: readonly { email: string }[], catalogEmails: readonly string[]) {
  const liveSet = new Set(live.map((p) => p.email));
  const catalogSet = new Set(catalogEmails);
  return {
    notInCatalog: [...liveSet].filter((e) => !catalogSet.has(e)),
    notSeeded: [...catalogSet].filter((e) => !liveSet.has(e)),
  };
}

/** Finds one persona by email or persona id. */
export async function findPersona(db: Db, ref: string): Promise<LivePersona | undefined> {
  const key = ref.trim().toLowerCase();
  const byId = /^[0-9a-f-]{36}$/.test(key) ? eq(personas.id, key) : undefined;
  const [found] = await livePersonas(db, or(eq(users.email, key), byId));
  return found;
}
