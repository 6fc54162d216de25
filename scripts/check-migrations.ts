// `npm run db:check` (part of `npm run check`): fails when the committed migrations do not match the
// schema, i.e. when `npm run db:generate` would emit a migration for an unchanged schema. It runs
// drizzle-kit generate against a scratch copy of schema/migrations (so the real folder is never
// touched) and reports what it would have written, then `drizzle-kit check` for the snapshot chain.
//   node --import tsx scripts/check-migrations.ts [--schema ./schema/index.ts]
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/project-root.ts';

const { values } = parseArgs({ options: { schema: { type: 'string', default: './schema/index.ts' } } });
const MIGRATIONS = path.join(PROJECT_ROOT, 'schema', 'migrations');
// drizzle-kit resolves --out relative to the working directory and loads the schema with it, so the
// scratch copy lives inside the project (.data is ignored by git).
const scratch = path.join('.data', 'tmp', `migrations-check-${process.pid}`);

const drizzleKit = (args: string[]) =>
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });

await mkdir(path.join(PROJECT_ROOT, scratch), { recursive: true });
try {
  await cp(MIGRATIONS, path.join(PROJECT_ROOT, scratch), { recursive: true });
  const before = new Set(await readdir(path.join(PROJECT_ROOT, scratch)));
  const gen = drizzleKit([
    'generate',
    '--dialect',
    'postgresql',
    '--schema',
    values.schema,
    '--out',
    scratch,
  ]);
  if (gen.status !== 0) {
    process.stderr.write(`db:check: drizzle-kit generate failed:\n${gen.stdout}${gen.stderr}`);
    process.exit(1);
  }
  const added = (await readdir(path.join(PROJECT_ROOT, scratch))).filter(
    (f) => f.endsWith('.sql') && !before.has(f),
  );
  if (added.length) {
    const sql = await Promise.all(added.map((f) => readFile(path.join(PROJECT_ROOT, scratch, f), 'utf8')));
    process.stderr.write(
      `db:check: the schema and schema/migrations disagree — \`npm run db:generate\` would write ${added.join(', ')}:\n\n${sql.join('\n')}\n\n` +
        'Run `npm run db:generate` for a schema change you made, and commit the migration with its snapshot.\n',
    );
    process.exit(1);
  }
  const check = drizzleKit(['check', '--dialect', 'postgresql', '--out', 'schema/migrations']);
  if (check.status !== 0) {
    process.stderr.write(
      `db:check: drizzle-kit check found a problem in schema/migrations:\n${check.stdout}${check.stderr}`,
    );
    process.exit(1);
  }
  process.stdout.write('db:check: migrations match the schema\n');
} finally {
  await rm(path.join(PROJECT_ROOT, scratch), { recursive: true, force: true });
}
