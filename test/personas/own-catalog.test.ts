import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCatalog } from '../../lib/personas/catalog.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { archetypeLabel } from '../../activities/metrics.ts';
import { loadPersonaDetail } from '../../dashboard/persona-detail.ts';
import { renderPersonaPage } from '../../dashboard/persona-page.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { TEST_KEK, TEST_SEED_SECRET } from '../support/secrets.ts';

// A team's own catalog: its own kinds of users, some opted into destructive tools (issue 21).
const PROMPT = 'You keep the county archive in order and you are patient with old software.';
const persona = (name: string, extra: Record<string, unknown> = {}) => ({
  email: `${name}@personas.test`,
  displayName: name,
  archetype: 'archivist',
  systemPrompt: PROMPT,
  moduleMix: { notes: 1 },
  cadence: 'daily',
  timezone: 'UTC',
  ...extra,
});
const catalogText = (...personas: unknown[]) => JSON.stringify({ version: 1, personas });

describe('a catalog of your own', () => {
  test('free archetypes are accepted; metric labels stay bounded (unknown → other)', () => {
    const [a, b] = parseCatalog(catalogText(persona('ada'), persona('bo', { archetype: 'field-nurse-2' })));
    assert.deepEqual([a?.archetype, b?.archetype], ['archivist', 'field-nurse-2']);
    assert.equal(archetypeLabel('archivist'), 'other');
    assert.equal(archetypeLabel('solo-dev'), 'solo-dev');
  });

  test('destructive: the entry wins over personaDefaults, absent everywhere is false', () => {
    const text = catalogText(
      persona('ada', { destructive: true }),
      persona('bo'),
      persona('cy', { destructive: false }),
    );
    const plain = parseCatalog(text);
    assert.deepEqual(
      plain.map((p) => p.destructive),
      [true, false, false],
    );
    const staging = parseCatalog(text, 'c.json', undefined, undefined, { destructive: true });
    assert.deepEqual(
      staging.map((p) => p.destructive),
      [true, true, false],
    );
  });
});

describe('seeding applies destructive to the account, idempotently', async () => {
  const database = await freshDatabase();
  const optIn = async () =>
    Object.fromEntries(
      (
        await database.pool.query<{ email: string; destructive_opt_in: boolean }>(
          'SELECT email, destructive_opt_in FROM users ORDER BY email',
        )
      ).rows.map((r) => [r.email.split('@')[0], r.destructive_opt_in]),
    );

  test('created as the catalog says; the same catalog again is unchanged; a flip is an update', async () => {
    const first = parseCatalog(catalogText(persona('ada', { destructive: true }), persona('bo')));
    const created = await seedPersonas(database.db, TEST_KEK, TEST_SEED_SECRET, first);
    assert.equal(created.created, 2);
    assert.deepEqual(await optIn(), { ada: true, bo: false });

    const again = await seedPersonas(database.db, TEST_KEK, TEST_SEED_SECRET, first);
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 2]);

    const flipped = parseCatalog(catalogText(persona('ada'), persona('bo', { destructive: true })));
    const dry = await seedPersonas(database.db, TEST_KEK, TEST_SEED_SECRET, flipped, { dryRun: true });
    assert.deepEqual([dry.updated, dry.unchanged], [2, 0], 'a dry run sees the change');
    assert.deepEqual(await optIn(), { ada: true, bo: false }, 'and writes nothing');
    const updated = await seedPersonas(database.db, TEST_KEK, TEST_SEED_SECRET, flipped);
    assert.deepEqual([updated.updated, updated.unchanged], [2, 0]);
    assert.deepEqual(await optIn(), { ada: false, bo: true });
  });

  test('the opt-in is shown where personas are listed (schedules list) and on the persona page', async () => {
    const live = await livePersonas(database.db);
    assert.deepEqual(
      live.map((p) => [p.email.split('@')[0], p.destructive]),
      [
        ['ada', false],
        ['bo', true],
      ],
    );
    const page = async (id: string) =>
      renderPersonaPage((await loadPersonaDetail(database.db, id, { days: 7 }))!, {
        temporalUiUrl: 'http://127.0.0.1:8233',
        namespace: 'default',
      });
    assert.match(await page(live[1]!.personaId), /destructive tools<\/dt><dd>allowed \(opted in\)/);
    assert.match(await page(live[0]!.personaId), /destructive tools<\/dt><dd>denied \(not opted in\)/);
  });

  test("`personas seed --products` applies the products file's personaDefaults", async () => {
    const files = await tempDir();
    const catalog = await files.write(
      'catalog.json',
      JSON.parse(catalogText(persona('ada'), persona('bo', { destructive: false }))),
    );
    const products = await files.write('products.json', { personaDefaults: { destructive: true } });
    const r = await runCli(['seed', '--catalog', catalog, '--products', products], {
      DATABASE_URL: database.url,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await optIn(), { ada: true, bo: false });
  });
});
