// Sealed transcript parts are opened here, server-side, for the tick page only: the dashboard holds
// the key-encryption key, unwraps the persona's vault key, and never sends a key or a sealed part
// anywhere. Parts sealed with a zero-knowledge persona's own key stay withheld.
import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.ts';
import { openTranscriptPart, vaultTranscriptKey } from '../lib/ticks/transcript-seal.ts';
import type { OpenPart } from './tick-detail.ts';

/** What the tick page gets for a part it may not read. */
export interface WithheldPart {
  withheld: string;
}
export const isWithheld = (c: unknown): c is WithheldPart =>
  !!c && typeof c === 'object' && typeof (c as WithheldPart).withheld === 'string';

/** An OpenPart that opens parts with each tick's persona vault key (looked up once per tick). */
export function vaultPartOpener(db: Db, kek: Buffer | undefined): OpenPart {
  const keys = new Map<string, ReturnType<typeof vaultTranscriptKey>>();
  const keyOf = (tickId: string) => {
    let key = keys.get(tickId);
    if (!key) {
      key = (async () => {
        if (!kek) return undefined;
        const { rows } = await db.execute(sql`
          SELECT p.user_id FROM persona_ticks t JOIN personas p ON p.id = t.persona_id WHERE t.id = ${tickId}`);
        return rows[0] ? vaultTranscriptKey(db, kek, String(rows[0].user_id)) : undefined;
      })();
      keys.set(tickId, key);
      // Bounded: one page needs one tick's key.
      if (keys.size > 64) keys.delete(keys.keys().next().value!);
    }
    return key;
  };
  return async (tickId, content) => {
    const opened = openTranscriptPart(content, await keyOf(tickId));
    if (opened.state === 'withheld')
      return {
        withheld: kek ? opened.reason : 'the dashboard runs without VAULT_KEK',
      } satisfies WithheldPart;
    return opened.content;
  };
}
