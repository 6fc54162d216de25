import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { BUILTIN_ARCHETYPES } from '../../schema/vocabulary.ts';
import { CatalogError, DEFAULT_CATALOG, loadCatalog, parseCatalog } from '../../lib/personas/catalog.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

const realText = await readFile(DEFAULT_CATALOG, 'utf8');
const real = JSON.parse(realText) as { version: number; personas: Record<string, unknown>[] };
const [maya, leo] = real.personas as [Record<string, unknown>, Record<string, unknown>];
assert.equal(maya.email, 'maya.adhd@personas.test');
assert.equal(leo.email, 'leo.adhd@personas.test');

/** A catalog whose entry 0 is valid and whose entry 1 is Leo with `change` applied. */
const withSecond = (change: Record<string, unknown>) => ({
  version: 1,
  personas: [maya, { ...leo, ...change }],
});
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `personas[1] (<email>): <field>: <message>`, the shape every entry-level problem has. */
const entry = (email: string, field: string, message: RegExp) =>
  new RegExp(`^personas\\[1\\] \\(${escape(email)}\\): ${escape(field)}: ${message.source}`);
const LEO = 'leo.adhd@personas.test';
const GOAL = {
  id: 'plumber',
  module: 'todos',
  ask: 'Call the plumber today.',
  check: { tool: 'todo_list', arguments: {}, expect: { type: 'object' } },
};
const { timezone: _droppedTimezone, ...leoWithoutTimezone } = leo;

/** The problems parseCatalog reports for `catalog` (an object, or raw text), failing if it accepts it. */
function problemsOf(catalog: unknown): string[] {
  const text = typeof catalog === 'string' ? catalog : JSON.stringify(catalog);
  try {
    parseCatalog(text, 'bad.json');
  } catch (err) {
    assert.ok(err instanceof CatalogError, `expected a CatalogError, got ${String(err)}`);
    assert.equal(err.code, 'CATALOG_INVALID');
    assert.match(err.message, /^bad\.json is invalid \(\d+ problems?\); nothing was written/);
    for (const p of err.problems) assert.ok(err.message.includes(p), 'the message lists every problem');
    return err.problems;
  }
  assert.fail('the catalog was accepted');
}

describe('the real catalog', () => {
  test('loads: ≥ 10 personas over all 7 archetypes, only on the reserved .test domain', async () => {
    const personas = await loadCatalog();
    assert.ok(personas.length >= 10, `${personas.length} personas`);
    const expected = [
      'adhd-student',
      'ceo-busy',
      'creative-parent',
      'solo-dev',
      'researcher',
      'freelancer',
      'overwhelmed-newbie',
    ];
    assert.deepEqual([...BUILTIN_ARCHETYPES].sort(), [...expected].sort());
    assert.deepEqual([...new Set(personas.map((p) => p.archetype))].sort(), [...expected].sort());
    for (const p of personas) {
      assert.match(p.email, /^[a-z0-9.]+@personas\.test$/, p.email);
      const sum = Object.values(p.moduleMix).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, `${p.email}: module mix sums to ${sum}`);
    }
    assert.equal(new Set(personas.map((p) => p.email)).size, personas.length, 'emails are unique');
  });

  test('a catalog file that cannot be read is a CatalogError naming the file', async () => {
    await assert.rejects(
      loadCatalog('/nonexistent/catalog.json'),
      (err: unknown) =>
        err instanceof CatalogError &&
        /\/nonexistent\/catalog\.json is invalid/.test(err.message) &&
        /cannot read the file \(ENOENT\)/.test(err.message),
    );
  });
});

describe('bad catalogs are rejected, naming the entry (index and email) and the field', () => {
  // `problems`: how many problems the catalog has (1 unless said otherwise); `expect` matches the first.
  const cases: { name: string; catalog: unknown; expect: RegExp; problems?: number }[] = [
    {
      name: 'duplicate email, differing only in case',
      catalog: withSecond({ email: 'MAYA.Adhd@Personas.TEST' }),
      expect: entry('MAYA.Adhd@Personas.TEST', 'email', /duplicate of personas\[0\]/),
    },
    {
      name: 'an email on a routable domain',
      catalog: withSecond({ email: 'leo@gmail.com' }),
      expect: entry('leo@gmail.com', 'email', /must be on a reserved non-routable domain/),
    },
    {
      name: 'not an email at all',
      catalog: withSecond({ email: 'leo' }),
      expect: entry('leo', 'email', /expected an email address/),
      problems: 2, // and so not on a reserved domain either
    },
    {
      name: 'an archetype that is not a plain word (capitals, spaces)',
      catalog: withSecond({ archetype: 'Field Nurse' }),
      expect: entry(LEO, 'archetype', /expected 1–40 of \[a-z0-9-\], e\.g\. field-nurse/),
    },
    {
      name: 'an archetype longer than 40 characters',
      catalog: withSecond({ archetype: 'a'.repeat(41) }),
      expect: entry(LEO, 'archetype', /expected 1–40 of/),
    },
    {
      name: 'destructive that is not a boolean',
      catalog: withSecond({ destructive: 'yes' }),
      expect: entry(LEO, 'destructive', /expected true or false/),
    },
    {
      name: 'module mix not summing to 1',
      catalog: withSecond({ moduleMix: { todos: 0.5, habits: 0.3 } }),
      expect: entry(LEO, 'moduleMix', /weights sum to 0\.8, expected 1/),
    },
    {
      name: 'module mix naming an unknown module',
      catalog: withSecond({ moduleMix: { todos: 0.5, calendar: 0.5 } }),
      expect: entry(
        LEO,
        'moduleMix',
        /unknown module\(s\) calendar; modules are habits, todos, notes, journal/,
      ),
    },
    {
      name: 'negative weight (even when the sum is 1)',
      catalog: withSecond({ moduleMix: { todos: 0.7, habits: 0.5, notes: -0.2 } }),
      expect: entry(LEO, 'moduleMix.notes', /weights must be ≥ 0/),
    },
    {
      name: 'unknown cadence',
      catalog: withSecond({ cadence: 'monthly' }),
      expect: entry(LEO, 'cadence', /expected one of hourly, daily, weekdays/),
    },
    {
      name: 'unknown timezone',
      catalog: withSecond({ timezone: 'Mars/Olympus' }),
      expect: entry(LEO, 'timezone', /not an IANA timezone/),
    },
    {
      // Intl accepts any casing, Temporal Schedules do not ("unknown time zone europe/berlin").
      name: 'miscased timezone',
      catalog: withSecond({ timezone: 'europe/berlin' }),
      expect: entry(LEO, 'timezone', /time zone names are case-sensitive.*e\.g\. Europe\/Berlin/),
    },
    {
      name: 'empty system prompt',
      catalog: withSecond({ systemPrompt: '   ' }),
      expect: entry(LEO, 'systemPrompt', /must be at least 40 characters/),
    },
    {
      name: 'too-short system prompt',
      catalog: withSecond({ systemPrompt: 'You are Leo.' }),
      expect: entry(LEO, 'systemPrompt', /must be at least 40 characters/),
    },
    {
      name: 'wrong type: cadence 3',
      catalog: withSecond({ cadence: 3 }),
      expect: entry(LEO, 'cadence', /expected one of hourly, daily, weekdays/),
    },
    {
      name: 'wrong type: moduleMix "todos"',
      catalog: withSecond({ moduleMix: 'todos' }),
      expect: entry(LEO, 'moduleMix', /expected an object of module → weight/),
    },
    {
      name: 'wrong type: a weight given as a string',
      catalog: withSecond({ moduleMix: { todos: '1' } }),
      expect: entry(LEO, 'moduleMix.todos', /expected a number/),
    },
    {
      name: 'a goal for a module the products do not serve',
      catalog: withSecond({ goals: [{ id: 'cal', module: 'calendar', ask: 'Book the dentist.' }] }),
      expect: entry(
        LEO,
        'goals[0] (cal).module',
        /unknown module calendar; modules are habits, todos, notes, journal/,
      ),
    },
    {
      name: 'a goal whose expectation is no JSON Schema',
      catalog: withSecond({
        goals: [
          {
            id: 'plumber',
            module: 'todos',
            ask: 'Call the plumber today.',
            check: { tool: 'todo_list', expect: { type: 'thing' } },
          },
        ],
      }),
      expect: entry(LEO, 'goals[0] (plumber).check.expect', /not a valid JSON Schema/),
    },
    {
      name: 'a goal with an unknown placeholder',
      catalog: withSecond({
        goals: [
          {
            id: 'plumber',
            module: 'todos',
            ask: 'Call the plumber.',
            scripted: [{ tool: 'todo_create', arguments: { due_date: '${yesterday}' } }],
          },
        ],
      }),
      expect: entry(
        LEO,
        'goals[0] (plumber).scripted',
        /unknown placeholder \$\{yesterday\}; placeholders are \$\{today\}/,
      ),
    },
    {
      name: 'two goals with one id',
      catalog: withSecond({ goals: [GOAL, GOAL] }),
      expect: entry(LEO, 'goals[1] (plumber).id', /used by another goal of this persona/),
    },
    {
      name: 'more goals per tick than goals',
      catalog: withSecond({ goals: [GOAL], goalsPerTick: 2 }),
      expect: entry(LEO, 'goalsPerTick', /2 goals per tick, but the persona has 1/),
    },
    {
      name: 'unknown field',
      catalog: withSecond({ favouriteColour: 'teal' }),
      expect: entry(LEO, 'favouriteColour', /unknown field/),
    },
    {
      name: 'missing field',
      catalog: { version: 1, personas: [maya, leoWithoutTimezone] },
      expect: entry(LEO, 'timezone', /expected an IANA timezone/),
    },
    {
      name: 'an entry that is not an object',
      catalog: { version: 1, personas: [maya, 'leo'] },
      expect: /^personas\[1\] \(\?\): \(entry\): expected an object, got string$/,
    },
    {
      name: 'invalid JSON',
      catalog: realText.replace('"version": 1,', '"version": 1'),
      // file:line:column, the line itself and a caret under the column (issue 24).
      expect:
        /^bad\.json:3:3: expected ',' \(missing between two entries\?\)\n {6} {2}"personas": \[\n {8}\^$/,
    },
    {
      name: 'empty personas list',
      catalog: { version: 1, personas: [] },
      expect: /^personas: the catalog has no personas$/,
    },
    {
      name: 'personas not a list',
      catalog: { version: 1, personas: { maya } },
      expect: /^personas: expected a list of personas$/,
    },
    {
      name: 'wrong version',
      catalog: { version: 2, personas: [maya] },
      expect: /^version: expected version 1$/,
    },
    {
      name: 'missing version',
      catalog: { personas: [maya] },
      expect: /^version: expected version 1$/,
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      const problems = problemsOf(c.catalog);
      assert.equal(problems.length, c.problems ?? 1, `unexpected problems:\n${problems.join('\n')}`);
      assert.match(problems[0]!, c.expect);
    });
  }

  test('every problem of every entry is reported at once', () => {
    const problems = problemsOf({
      version: 1,
      personas: [
        { ...maya, cadence: 'monthly', timezone: 'Nowhere/Special' },
        leo,
        { ...leo, email: 'sam@example.org', archetype: 'Astronaut' },
      ],
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /^personas\[0\] \(maya\.adhd@personas\.test\): cadence: /m);
    assert.match(problems.join('\n'), /^personas\[0\] \(maya\.adhd@personas\.test\): timezone: /m);
    assert.match(problems.join('\n'), /^personas\[2\] \(sam@example\.org\): archetype: /m);
  });

  test('a valid catalog is accepted, emails normalised to lower case', () => {
    const [first, second] = parseCatalog(
      JSON.stringify({ version: 1, personas: [maya, { ...leo, email: 'Leo.ADHD@Personas.test' }] }),
    );
    assert.equal(first!.email, 'maya.adhd@personas.test');
    assert.equal(second!.email, LEO);
    assert.equal(second!.timezone, leo.timezone);
  });
});

describe('`personas seed` with a bad catalog exits non-zero and writes nothing', async () => {
  const database = await freshDatabase();
  const env = { DATABASE_URL: database.url };
  // Seeded first, so that "nothing written" also means "nothing updated".
  const seeded = await seedPersonas(database.db, TEST_KEK, TEST_SEED_SECRET, parseCatalog(realText));
  assert.equal(seeded.created, real.personas.length);
  const files = await tempDir();

  /** Everything seeding could write or change, in a comparable form. */
  const snapshot = async () => {
    const q = async (sql: string) => (await database.pool.query(sql)).rows;
    return {
      users: await q('SELECT id, email, kind, password_hash, updated_at FROM users ORDER BY email'),
      personas: await q('SELECT * FROM personas ORDER BY user_id'),
      spaces: await q('SELECT id, owner_id FROM spaces ORDER BY id'),
      vault: await q('SELECT user_id, wrapped_key FROM vault_keys ORDER BY user_id'),
    };
  };
  const before = await snapshot();
  assert.equal(before.users.length, real.personas.length);

  // Each bad catalog also carries a valid change (an edited prompt, a new persona) that must not land.
  const edited = { ...maya, systemPrompt: `${String(maya.systemPrompt)} Lately she keeps a paper planner.` };
  const newcomer = { ...leo, email: 'zoe.newcomer@personas.test', displayName: 'Zoe' };
  const rest = real.personas.slice(2);
  const badCatalogs: { name: string; catalog: unknown; stderr: RegExp }[] = [
    {
      name: 'an email on a routable domain',
      catalog: { version: 1, personas: [edited, { ...leo, email: 'leo@gmail.com' }, ...rest] },
      stderr: /personas\[1\] \(leo@gmail\.com\): email: must be on a reserved non-routable domain/,
    },
    {
      name: 'a duplicate email',
      catalog: {
        version: 1,
        personas: [edited, leo, newcomer, ...rest, { ...leo, email: 'LEO.adhd@personas.test' }],
      },
      stderr: new RegExp(
        `personas\\[${rest.length + 3}\\] \\(LEO\\.adhd@personas\\.test\\): email: duplicate of personas\\[1\\]`,
      ),
    },
    {
      name: 'an unknown field',
      catalog: { version: 1, personas: [edited, newcomer, { ...leo, nickname: 'L' }, ...rest] },
      stderr: /personas\[2\] \(leo\.adhd@personas\.test\): nickname: unknown field/,
    },
    {
      name: 'a wrong type',
      catalog: { version: 1, personas: [newcomer, edited, ...rest, { ...leo, cadence: 3 }] },
      stderr:
        /personas\[\d+\] \(leo\.adhd@personas\.test\): cadence: expected one of hourly, daily, weekdays/,
    },
    {
      name: 'invalid JSON',
      catalog: JSON.stringify({ version: 1, personas: [edited, newcomer, leo, ...rest] }).slice(0, -2),
      stderr: /bad-\d+\.json:1:\d+: expected '\]' \(a list not closed\?\)\n {6}….*\}\]\}\]\}\n {6} +\^/,
    },
  ];

  for (const [i, c] of badCatalogs.entries()) {
    test(c.name, async () => {
      const file = await files.write(`bad-${i}.json`, c.catalog);
      const r = await runCli(['seed', '--catalog', file], env);
      assert.notEqual(r.code, 0, `exit code 0; stdout: ${r.stdout}`);
      assert.match(r.stderr, /is invalid \(1 problem\); nothing was written/);
      assert.match(r.stderr, c.stderr);
      assert.doesNotMatch(r.stdout, /created|updated/);
      assert.deepEqual(await snapshot(), before);
    });
  }

  test('control: the same valid changes through the same command are written', async () => {
    const file = await files.write('good.json', { version: 1, personas: [edited, newcomer, leo, ...rest] });
    const r = await runCli(['seed', '--catalog', file], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /created 1 · updated 1 · unchanged \d+/);
    const after = await snapshot();
    assert.equal(after.users.length, before.users.length + 1);
    assert.notDeepEqual(after.personas, before.personas);
  });
});
