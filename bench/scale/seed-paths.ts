// Before bench/scale.ts times anything: the batched path of seedPersonas must write what the
// per-persona path (upsertPersona, one at a time) writes, and report the same outcomes.
import { mapLimit } from '../../lib/concurrency.ts';
import type { Database } from '../../lib/db/client.ts';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { TEST_SEED_SECRET } from '../../test/support/secrets.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { upsertPersona, type PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import { hashPassword, verifyPassword } from '../../lib/demo-product/passwords.ts';
import { loadMasterKey } from '../../lib/demo-product/vault.ts';
import type { Stack } from '../../test/support/stack.ts';

/**
 * Seeds `sample` into two fresh databases from the same mixed starting state — half already seeded,
 * then some prompts edited, some vaults and personas deleted (repairs), a few passwords re-hashed
 * with another secret — once with upsertPersona one at a time (the per-persona path) and once with
 * seedPersonas, and compares the outcomes and every row, normalised (ids, salts, wrapped keys and
 * timestamps differ by nature; passwords must verify and master keys must unwrap in both).
 */
export async function sameAsPerPersonaPath(
  stack: Stack,
  sample: PersonaDefinition[],
  kek: Buffer,
  say: (line: string) => void,
): Promise<boolean> {
  const half = sample.slice(0, Math.floor(sample.length / 2));
  const edited = sample.map((d, i) =>
    i < 10 ? { ...d, systemPrompt: `${d.systemPrompt} Lately: trains.` } : d,
  );
  const prepare = async (db: Database) => {
    await mapLimit(half, 8, (d) => upsertPersona(db.db, kek, TEST_SEED_SECRET, d));
    const emails = (from: number, to: number) => half.slice(from, to).map((d) => d.email);
    await db.pool.query(
      'DELETE FROM vault_keys WHERE user_id IN (SELECT id FROM users WHERE email = ANY($1))',
      [emails(10, 15)],
    );
    await db.pool.query(
      'DELETE FROM personas WHERE user_id IN (SELECT id FROM users WHERE email = ANY($1))',
      [emails(15, 20)],
    );
    await db.pool.query(
      `DELETE FROM space_memberships WHERE user_id IN (SELECT id FROM users WHERE email = ANY($1))`,
      [emails(20, 25)],
    );
    for (const email of emails(25, 30)) {
      // As if seeded with another secret: the password no longer verifies and is re-derived.
      const hash = await hashPassword(derivePersonaPassword('another-seed-secret-value', email), 'sha256');
      await db.pool.query('UPDATE users SET password_hash = $2 WHERE email = $1', [email, hash]);
    }
  };
  const snapshot = async (db: Database) => {
    const rows = await db.pool.query(
      `SELECT u.email, u.kind, u.tier, u.destructive_opt_in, split_part(u.password_hash, '$', 1) AS scheme,
              p.display_name, p.archetype, p.system_prompt, p.module_mix, p.cadence, p.timezone, p.paused,
              p.last_active_at IS NULL AS never_active,
              (SELECT string_agg(s.type || ':' || s.name, ',' ORDER BY s.type) FROM spaces s WHERE s.owner_id = u.id) AS spaces,
              (SELECT string_agg(m.role::text || '@' || s.type, ',' ORDER BY s.type)
                 FROM space_memberships m JOIN spaces s ON s.id = m.space_id WHERE m.user_id = u.id) AS memberships,
              v.zero_knowledge, v.wrapped_key IS NOT NULL AS has_key
         FROM users u LEFT JOIN personas p ON p.user_id = u.id LEFT JOIN vault_keys v ON v.user_id = u.id
        ORDER BY u.email`,
    );
    const users = await db.pool.query<{ id: string; email: string; password_hash: string }>(
      'SELECT id, email, password_hash FROM users',
    );
    const credentialsOk = await Promise.all(
      users.rows.map(
        async (u) =>
          (await verifyPassword(derivePersonaPassword(TEST_SEED_SECRET, u.email), u.password_hash)) &&
          (await loadMasterKey(db.db, kek, u.id))?.length === 32,
      ),
    );
    return { rows: rows.rows, credentialsOk: credentialsOk.every(Boolean), users: users.rowCount };
  };
  const [a, b] = [await stack.freshDatabase(10), await stack.freshDatabase(10)];
  try {
    await prepare(a);
    await prepare(b);
    const perPersona = await mapLimit(
      edited,
      8,
      async (d) => (await upsertPersona(a.db, kek, TEST_SEED_SECRET, d)).outcome,
    );
    const seeded = (await seedPersonas(b.db, kek, TEST_SEED_SECRET, edited, { concurrency: 8 })).results.map(
      (r) => r.outcome,
    );
    const [sa, sb] = [await snapshot(a), await snapshot(b)];
    const sameOutcomes = JSON.stringify(perPersona) === JSON.stringify(seeded);
    const sameRows = JSON.stringify(sa) === JSON.stringify(sb);
    if (!sameOutcomes)
      say(
        `    outcomes differ: per-persona ${JSON.stringify(perPersona)} vs seedPersonas ${JSON.stringify(seeded)}`,
      );
    if (!sameRows)
      say(
        `    rows differ (first differing user shown): ${JSON.stringify(sa.rows.find((r, i) => JSON.stringify(r) !== JSON.stringify(sb.rows[i])))}`,
      );
    const tally = Object.entries(
      seeded.reduce<Record<string, number>>((t, o) => ((t[o] = (t[o] ?? 0) + 1), t), {}),
    )
      .map(([o, n]) => `${n} ${o}`)
      .join(', ');
    say(`  seed paths compared      ${sample.length} personas from a mixed state (${tally})`);
    return sameOutcomes && sameRows && sa.credentialsOk && sb.credentialsOk && sa.users === sample.length;
  } finally {
    await a.drop();
    await b.drop();
  }
}
