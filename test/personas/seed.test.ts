import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { loadCatalog } from '../../lib/personas/catalog.ts';
import { derivePersonaPassword } from '../../lib/personas/password.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import type { PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { startTestGateway } from '../support/gateway.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

// One real gateway on one scratch database: seeding writes into it, logins go through it.
const gw = await startTestGateway();
const { db, pool } = gw.database;
const kek = TEST_KEK;
const catalog = await loadCatalog();
const files = await tempDir();
const env = { DATABASE_URL: gw.database.url };

const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows;
/** Everything seeding could write or change, in a comparable form. */
const snapshot = async () => ({
  users: await rows('SELECT id, email, kind, tier, password_hash, updated_at FROM users ORDER BY email'),
  personas: await rows('SELECT * FROM personas ORDER BY user_id'),
  spaces: await rows('SELECT id, owner_id, type FROM spaces ORDER BY id'),
  memberships: await rows('SELECT * FROM space_memberships ORDER BY space_id, user_id'),
  vault: await rows('SELECT user_id, wrapped_key FROM vault_keys ORDER BY user_id'),
});
const catalogFile = (name: string, personas: readonly PersonaDefinition[]) =>
  files.write(name, { version: 1, personas });
const login = (email: string, password: string) =>
  fetch(`${gw.url}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
const newcomer = (email: string): PersonaDefinition => ({ ...catalog[0]!, email, displayName: 'Newcomer' });

describe('seeding the catalog', () => {
  test('twice: first every persona is created, then every persona is unchanged', async () => {
    const first = await seedPersonas(db, kek, TEST_SEED_SECRET, catalog);
    assert.equal(first.dryRun, false);
    assert.deepEqual([first.created, first.updated, first.unchanged], [catalog.length, 0, 0]);
    assert.deepEqual(
      first.results.map((r) => r.email),
      catalog.map((p) => p.email),
    );
    assert.ok(first.results.every((r) => r.outcome === 'created' && r.personaId));

    const second = await seedPersonas(db, kek, TEST_SEED_SECRET, catalog, { concurrency: 3 });
    assert.deepEqual([second.created, second.updated, second.unchanged], [0, 0, catalog.length]);
    assert.deepEqual(
      second.results.map((r) => r.personaId),
      first.results.map((r) => r.personaId),
      'the same personas, not new ones',
    );
    assert.equal((await rows('SELECT count(*)::int AS n FROM personas'))[0].n, catalog.length);
    assert.equal((await rows('SELECT count(*)::int AS n FROM users'))[0].n, catalog.length);
  });

  test('every persona is a user of kind persona, signed up like a human: personal space, membership, vault', async () => {
    const human = await gw.tokenFor({
      email: 'human.reference@example.com',
      password: 'a human password 123',
    });
    // What one signup leaves behind, per user.
    const shape = async (userId: string) => ({
      spaces: await rows(
        `SELECT s.type, s.name, m.role FROM spaces s
           JOIN space_memberships m ON m.space_id = s.id AND m.user_id = s.owner_id
          WHERE s.owner_id = $1 ORDER BY s.type`,
        [userId],
      ),
      vault: await rows(
        'SELECT wrapped_key IS NOT NULL AS has_key, zero_knowledge FROM vault_keys WHERE user_id = $1',
        [userId],
      ),
    });
    const humanShape = await shape(human.userId);
    assert.deepEqual(humanShape, {
      spaces: [{ type: 'personal', name: 'Personal', role: 'owner' }],
      vault: [{ has_key: true, zero_knowledge: false }],
    });

    for (const def of catalog) {
      const [row] = await rows(
        `SELECT u.id, u.kind, u.tier, u.password_hash, p.display_name, p.archetype, p.system_prompt,
                p.module_mix, p.cadence, p.timezone, p.paused
           FROM users u JOIN personas p ON p.user_id = u.id WHERE u.email = $1`,
        [def.email],
      );
      assert.ok(row, `no user + persona for ${def.email}`);
      assert.equal(row.kind, 'persona');
      assert.equal(row.tier, 'free');
      assert.deepEqual(
        [row.display_name, row.archetype, row.system_prompt, row.module_mix, row.cadence, row.timezone],
        [def.displayName, def.archetype, def.systemPrompt, def.moduleMix, def.cadence, def.timezone],
      );
      assert.equal(row.paused, false);
      // The password itself is never stored, only a hash of it.
      assert.ok(row.password_hash, `${def.email} has no password hash`);
      assert.ok(!row.password_hash.includes(derivePersonaPassword(TEST_SEED_SECRET, def.email)));
      assert.deepEqual(await shape(row.id), humanShape, def.email);
    }
  });

  test('the derived password logs in through the real gateway; another secret’s does not', async () => {
    for (const def of catalog) {
      const res = await login(def.email, derivePersonaPassword(TEST_SEED_SECRET, def.email));
      assert.equal(res.status, 200, `${def.email}: ${await res.clone().text()}`);
      const body = (await res.json()) as { access_token: string; token_type: string; user_id: string };
      assert.equal(body.token_type, 'Bearer');
      assert.ok(body.access_token.split('.').length === 3, 'a JWT');
      const [user] = await rows('SELECT id FROM users WHERE email = $1', [def.email]);
      assert.equal(body.user_id, user.id);
    }
    const email = catalog[0]!.email;
    const wrong = await login(email, derivePersonaPassword('some-other-seed-secret-value', email));
    assert.equal(wrong.status, 401);
  });

  test('editing one persona’s prompt updates exactly that persona, in place', async () => {
    const target = catalog[3]!;
    const personaOf = (email: string) =>
      rows(
        'SELECT p.id, p.user_id, p.system_prompt FROM personas p JOIN users u ON u.id = p.user_id WHERE u.email = $1',
        [email],
      );
    const [before] = await personaOf(target.email);
    const prompt = `${target.systemPrompt} Lately you have started reading on the train.`;
    const edited = catalog.map((p) => (p.email === target.email ? { ...p, systemPrompt: prompt } : p));

    const summary = await seedPersonas(db, kek, TEST_SEED_SECRET, edited);
    assert.deepEqual([summary.created, summary.updated, summary.unchanged], [0, 1, catalog.length - 1]);
    assert.deepEqual(
      summary.results.filter((r) => r.outcome === 'updated').map((r) => r.email),
      [target.email],
    );
    const [after] = await personaOf(target.email);
    assert.deepEqual([after.id, after.user_id, after.system_prompt], [before.id, before.user_id, prompt]);

    // Back to the catalog as it is: one update again, then nothing left to do.
    assert.equal((await seedPersonas(db, kek, TEST_SEED_SECRET, catalog)).updated, 1);
    assert.equal((await seedPersonas(db, kek, TEST_SEED_SECRET, catalog)).unchanged, catalog.length);
  });

  test('`personas seed --dry-run` reports what would happen and writes nothing', async () => {
    const changed = catalog[1]!;
    const defs = [
      ...catalog.map((p) =>
        p.email === changed.email ? { ...p, cadence: 'hourly' as const, timezone: 'UTC' } : p,
      ),
      newcomer('dry.run@personas.test'),
    ];
    assert.notEqual(changed.cadence, 'hourly');
    const file = await catalogFile('dry-run.json', defs);
    const before = await snapshot();

    const r = await runCli(['seed', '--dry-run', '--catalog', file], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, defs.length + 1, r.stdout);
    for (const def of defs) {
      const outcome =
        def.email === 'dry.run@personas.test'
          ? 'created'
          : def.email === changed.email
            ? 'updated'
            : 'unchanged';
      assert.ok(
        lines.includes(`${outcome.padEnd(9)} ${def.email}`),
        `${outcome} ${def.email} in\n${r.stdout}`,
      );
    }
    assert.match(
      lines.at(-1)!,
      new RegExp(`^would be created 1 · updated 1 · unchanged ${catalog.length - 1} `),
    );
    assert.deepEqual(await snapshot(), before);

    // The same, in process and as data.
    const summary = await seedPersonas(db, kek, TEST_SEED_SECRET, defs, { dryRun: true });
    assert.deepEqual(
      [summary.dryRun, summary.created, summary.updated, summary.unchanged],
      [true, 1, 1, catalog.length - 1],
    );
    assert.deepEqual(await snapshot(), before);
  });

  test('a persona email that belongs to a human account is refused, and nothing is seeded', async () => {
    const human = await gw.tokenFor({ email: 'taken@personas.test', password: 'the human chose this 123' });
    // Many new personas in parallel around the taken one: none may slip in before the refusal.
    const fresh = Array.from({ length: 12 }, (_, i) => newcomer(`fresh${i}@personas.test`));
    const defs = [...fresh.slice(0, 6), newcomer('Taken@Personas.test'), ...fresh.slice(6)];
    const before = await snapshot();

    for (const dryRun of [true, false]) {
      await assert.rejects(
        seedPersonas(db, kek, TEST_SEED_SECRET, defs, { dryRun, concurrency: 8 }),
        /taken@personas\.test already belongs to a human account; a persona cannot take it over/,
      );
      assert.deepEqual(await snapshot(), before, dryRun ? 'dry run' : 'seed');
    }
    const [user] = await rows('SELECT id, kind FROM users WHERE email = $1', ['taken@personas.test']);
    assert.deepEqual([user.id, user.kind], [human.userId, 'human']);
    assert.equal((await login('taken@personas.test', 'the human chose this 123')).status, 200);
  });

  test('a catalog of more personas than Postgres takes parameters in one statement (65,535) is planned, and a taken email among them still refused', async () => {
    // The emails go to Postgres as one array parameter; one parameter each failed at 100,000.
    const many = Array.from({ length: 70_000 }, (_, i) => newcomer(`many${i}@personas.test`));
    const before = await snapshot();
    const plan = await seedPersonas(db, kek, TEST_SEED_SECRET, many, { dryRun: true });
    assert.deepEqual([plan.created, plan.updated, plan.unchanged], [70_000, 0, 0]);
    await assert.rejects(
      seedPersonas(db, kek, TEST_SEED_SECRET, [...many, newcomer('taken@personas.test')], { dryRun: true }),
      /taken@personas\.test already belongs to a human account/,
    );
    assert.deepEqual(await snapshot(), before);
  });

  describe('in production mode', () => {
    const prodEnv = { ...env, NODE_ENV: 'production', VAULT_KEK: randomBytes(32).toString('base64') };
    const email = 'prod.only@personas.test';

    for (const [name, secret] of [
      ['without PERSONA_SEED_SECRET', undefined],
      ['with the formerly published development secret', 'persona-runner-dev-seed-secret'],
    ] as const) {
      test(`\`personas seed\` ${name} exits non-zero naming PERSONA_SEED_SECRET and writes nothing`, async () => {
        const file = await catalogFile(`prod-${secret ? 'dev' : 'unset'}.json`, [newcomer(email)]);
        const before = await snapshot();
        const r = await runCli(['seed', '--catalog', file], { ...prodEnv, PERSONA_SEED_SECRET: secret });
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(
          r.stderr,
          /PERSONA_SEED_SECRET is unset \(or a published development value\) in production mode/,
        );
        assert.doesNotMatch(r.stdout, /created/);
        assert.deepEqual(await snapshot(), before);
      });
    }

    test('control: with a real secret the same command seeds, and that secret’s password logs in', async () => {
      const secret = randomBytes(32).toString('base64');
      const file = await catalogFile('prod-ok.json', [newcomer(email)]);
      const r = await runCli(['seed', '--catalog', file], { ...prodEnv, PERSONA_SEED_SECRET: secret });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /created 1 · updated 0 · unchanged 0/);
      assert.equal((await login(email, derivePersonaPassword(secret, email))).status, 200);
      assert.equal((await login(email, derivePersonaPassword(TEST_SEED_SECRET, email))).status, 401);
    });
  });
});
