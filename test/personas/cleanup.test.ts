import assert from 'node:assert/strict';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { signupUser } from '../../lib/demo-product/signup.ts';
import { loadCatalog } from '../../lib/personas/catalog.ts';
import { deletePersonaUsers, NotAPersonaError } from '../../lib/personas/delete-persona.ts';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { todos } from '../../schema/index.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

const database = await freshDatabase();
const { db, pool } = database;
const kek = TEST_KEK;
const catalog = await loadCatalog();
const files = await tempDir();

const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
const count = async (sql: string, params: unknown[] = []) =>
  (await rows(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

// The world cleanup runs in: the catalog's personas, humans and a system user who must survive, a
// todo for everyone, and a persona user whose persona row never got written (a seed that died).
await seedPersonas(db, kek, TEST_SEED_SECRET, catalog);
const human = await signupUser(db, kek, { email: 'alice@example.com', password: 'alice has a password' });
const system = await signupUser(db, kek, { email: 'ops@example.com', kind: 'system' });
const orphanEmail = 'orphan@personas.test';
await signupUser(db, kek, {
  email: orphanEmail,
  password: derivePersonaPassword(TEST_SEED_SECRET, orphanEmail),
  passwordScheme: 'sha256',
  kind: 'persona',
});
const personaUsers = await rows(
  `SELECT u.id, u.email, s.id AS space_id FROM users u JOIN spaces s ON s.owner_id = u.id
    WHERE u.kind = 'persona' ORDER BY u.email`,
);
assert.equal(personaUsers.length, catalog.length + 1);
for (const u of [...personaUsers, { id: human.user.id, space_id: human.personalSpaceId }])
  await db.insert(todos).values({ userId: u.id, spaceId: u.space_id, title: 'water the plants' });
/** Every table with rows a user owns, and its owner column. */
const ownedBy = [
  'personas WHERE user_id',
  'spaces WHERE owner_id',
  'space_memberships WHERE user_id',
  'vault_keys WHERE user_id',
  'todos WHERE user_id',
];
const personaId = (email: string) => personaUsers.find((u) => u.email === email)!.id as string;

/** The rows a human or system user owns, to prove they come through untouched. */
const nonPersonaState = () =>
  rows(
    `SELECT u.id, u.email, u.kind, u.password_hash, u.updated_at,
            (SELECT count(*)::int FROM spaces WHERE owner_id = u.id) AS spaces,
            (SELECT count(*)::int FROM space_memberships WHERE user_id = u.id) AS memberships,
            (SELECT count(*)::int FROM vault_keys WHERE user_id = u.id) AS vaults,
            (SELECT count(*)::int FROM todos WHERE user_id = u.id) AS todos
       FROM users u WHERE u.kind <> 'persona' ORDER BY u.email`,
  );
const humansBefore = await nonPersonaState();
assert.deepEqual(
  humansBefore.map((u) => [u.email, u.spaces, u.memberships, u.vaults]),
  [
    ['alice@example.com', 1, 1, 1],
    ['ops@example.com', 1, 1, 1],
  ],
);
assert.equal(humansBefore[0].todos, 1);

describe('deletePersonaUsers', () => {
  test('refuses a human or system user, alone or among personas, and deletes nothing', async () => {
    const users = await count('users');
    const personas = await count('personas');
    const some = catalog.slice(0, 3).map((p) => personaId(p.email));
    for (const [ids, email, kind] of [
      [[human.user.id], 'alice@example.com', 'human'],
      [[...some, human.user.id], 'alice@example.com', 'human'],
      [[system.user.id, ...some], 'ops@example.com', 'system'],
    ] as const) {
      await assert.rejects(deletePersonaUsers(db, ids), (err: unknown) => {
        assert.ok(err instanceof NotAPersonaError, String(err));
        assert.equal(err.code, 'NOT_A_PERSONA');
        assert.deepEqual([err.email, err.kind], [email, kind]);
        assert.match(
          err.message,
          new RegExp(`${email} is a ${kind} account, not a persona; refusing to delete it`),
        );
        return true;
      });
    }
    assert.equal(await count('users'), users);
    assert.equal(await count('personas'), personas);
    assert.deepEqual(await nonPersonaState(), humansBefore);
  });

  test('deletes a persona user and, by cascade, its persona, space, vault and todos', async () => {
    const gone = catalog.at(-1)!.email;
    const id = personaId(gone);
    assert.equal(await count('todos WHERE user_id = $1', [id]), 1);
    assert.deepEqual(await deletePersonaUsers(db, [id]), [gone]);
    assert.equal(await count('users WHERE id = $1', [id]), 0);
    for (const rowsOf of ownedBy) assert.equal(await count(`${rowsOf} = $1`, [id]), 0, rowsOf);
    assert.equal(await count('personas'), catalog.length - 1);
    assert.deepEqual(await nonPersonaState(), humansBefore);
  });
});

describe('`personas cleanup`', () => {
  // A data dir of its own: the personas' products' `${workdir}`s live there (and a human's, kept).
  const env = { DATABASE_URL: database.url, PERSONA_DATA_DIR: files.dir };
  const workdir = (product: string, id: string) => path.join(files.dir, 'products', product, id);
  const exists = (dir: string) =>
    stat(dir).then(
      () => true,
      () => false,
    );
  // The live set now: the catalog minus its last persona (deleted above). Compared with a catalog
  // that also lacks its first persona, one live persona is not in the catalog, one catalog persona
  // is not live.
  const liveNotInCatalog = catalog[0]!.email;
  const partial = () =>
    files.write('partial.json', {
      version: 1,
      personas: catalog.filter((p) => p.email !== liveNotInCatalog),
    });
  const drifted = new RegExp(
    `warning: the live personas drifted from \\S+partial\\.json: 1 live but not in the catalog \\(${liveNotInCatalog.replace(/\./g, '\\.')}\\), 1 in the catalog but not live`,
  );

  test('--dry-run lists what it would delete, warns about drift, deletes nothing', async () => {
    const users = await count('users');
    const r = await runCli(['cleanup', '--dry-run', '--catalog', await partial()], env);
    assert.equal(r.code, 0, r.stderr);
    // The live personas (the catalog minus one), and the persona user without a persona row.
    assert.equal(r.stdout, `would delete ${catalog.length - 1 + 1} persona(s)\n`);
    assert.match(r.stderr, drifted);
    assert.equal(await count('users'), users);
  });

  test('--keep-schedules deletes every persona user and their data; humans stay intact', async () => {
    const [first, second] = personaUsers.map((u) => u.id as string);
    for (const dir of [
      workdir('files', first!),
      workdir('notes', second!),
      workdir('files', human.user.id),
    ]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(path.join(dir, 'kept.md'), 'a file the product wrote');
    }
    const r = await runCli(['cleanup', '--keep-schedules', '--catalog', await partial()], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, drifted);
    assert.equal(
      r.stdout,
      `deleted ${catalog.length - 1 + 1} persona(s), 0 schedule(s) and 2 product working directories\n`,
    );
    assert.equal(await exists(workdir('files', first!)), false, "a persona's workdir is purged");
    assert.equal(await exists(workdir('notes', second!)), false, 'in every product');
    assert.equal(await exists(workdir('files', human.user.id)), true, "a human's is not");

    assert.equal(await count(`users WHERE kind = 'persona'`), 0);
    assert.equal(await count('users WHERE email = $1', [orphanEmail]), 0);
    assert.equal(await count('personas'), 0);
    const personaIds = personaUsers.map((u) => u.id as string);
    for (const rowsOf of ownedBy)
      assert.equal(await count(`${rowsOf} = ANY($1::uuid[])`, [personaIds]), 0, rowsOf);
    assert.deepEqual(await nonPersonaState(), humansBefore);
    assert.equal(await count('users'), humansBefore.length);
  });

  test('with nothing left it deletes nothing and reports the whole catalog as not live', async () => {
    const r = await runCli(['cleanup', '--keep-schedules', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { live: number; deleted: number; drift: { notSeeded: string[] } };
    assert.deepEqual([result.live, result.deleted], [0, 0]);
    assert.deepEqual([...result.drift.notSeeded].sort(), catalog.map((p) => p.email).sort());
    assert.deepEqual(await nonPersonaState(), humansBefore);
  });
});
