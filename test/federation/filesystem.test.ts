import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseCatalog } from '../../lib/personas/catalog.ts';
import { seedPersonas } from '../../lib/personas/seed.ts';
import { startTestGateway } from '../support/gateway.ts';
import { FILESYSTEM_SERVER, scratchDir, writeProducts } from '../support/products.ts';
import { TEST_SEED_SECRET } from '../support/secrets.ts';
import { textOf } from '../support/tool-results.ts';
import { fencedBlocks } from '../support/markdown-blocks.ts';
import { runCli } from '../support/cli.ts';

// @modelcontextprotocol/server-filesystem over stdio, per user, exactly as the README's walkthrough
// sets it up (its products file and catalog are read from the README): each persona's child may use
// only its own `${workdir}`, which the gateway creates (0700) before the child starts (the server
// refuses to start without it). Its write tools are annotated destructiveHint, so only the persona
// whose catalog entry says `"destructive": true` may write.
const walkthrough = fencedBlocks(await fs.readFile('README.md', 'utf8')).find((b) =>
  b.code.includes('cat > files-products.json'),
);
assert.ok(walkthrough, "the README's server-filesystem walkthrough");
/** The JSON a heredoc of the walkthrough writes to `file`. */
const heredoc = (file: string) => {
  const m = new RegExp(`cat > ${file.replace('.', '\\.')} <<'JSON'\n([\\s\\S]*?)\nJSON`).exec(
    walkthrough.code,
  );
  assert.ok(m, `the walkthrough writes ${file}`);
  return m[1]!;
};
const dir = await scratchDir();
const products = JSON.parse(heredoc('files-products.json')) as {
  products: [{ transport: { args: string[] } }];
};
// The README runs from the repository root, as these tests do: its relative server path resolves.
assert.equal(products.products[0].transport.args[0], path.relative('.', FILESYSTEM_SERVER));
const productsFile = await writeProducts(dir, products);
const gw = await startTestGateway({
  PERSONA_PRODUCTS: productsFile,
  PERSONA_DATA_DIR: dir,
  POLICY_MODE: 'enforce',
});
const defs = parseCatalog(heredoc('files-catalog.json'), 'files-catalog.json', ['files']);
assert.deepEqual(
  defs.map((d) => [d.archetype, d.destructive]),
  [
    ['archivist', true],
    ['field-nurse', false],
  ],
);
await seedPersonas(gw.database.db, gw.kek, TEST_SEED_SECRET, defs);
const persona = async (email: string) => {
  const t = await gw.tokenFor({ email });
  const workdir = path.join(dir, 'products', 'files', t.userId);
  return { ...t, workdir, client: await gw.client(t.token) };
};
const writer = await persona(defs[0]!.email);
const reader = await persona(defs[1]!.email);
const call = (p: typeof writer, name: string, args: Record<string, unknown>) =>
  p.client.callTool({ name: `files__${name}`, arguments: args });

describe('server-filesystem, per user, in ${workdir}', () => {
  test('each persona gets its own directory, created 0700, and is told it is the one it may use', async () => {
    for (const p of [writer, reader]) {
      const allowed = await call(p, 'list_allowed_directories', {});
      assert.equal(allowed.isError, undefined, textOf(allowed));
      assert.match(textOf(allowed), new RegExp(p.workdir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal((await fs.stat(p.workdir)).mode & 0o777, 0o700);
    }
    assert.notEqual(writer.workdir, reader.workdir);
  });

  test('the destructive persona writes and reads back; the other is denied by policy', async () => {
    const file = path.join(writer.workdir, 'finding-aid.md');
    const wrote = await call(writer, 'write_file', { path: file, content: '# Box 12: parish records' });
    assert.equal(wrote.isError, undefined, textOf(wrote));
    const read = await call(writer, 'read_text_file', { path: file });
    assert.equal(textOf(read), '# Box 12: parish records');

    const denied = await call(reader, 'write_file', {
      path: path.join(reader.workdir, 'note.md'),
      content: 'x',
    });
    assert.equal(denied._meta?.errorClass, 'policy');
    assert.match(textOf(denied), /files__write_file is destructive/);
    await assert.rejects(fs.stat(path.join(reader.workdir, 'note.md')), /ENOENT/);
  });

  test("one persona never sees another's files", async () => {
    const listing = await call(reader, 'list_directory', { path: reader.workdir });
    assert.doesNotMatch(textOf(listing), /finding-aid/);
    const peek = await call(reader, 'read_text_file', { path: path.join(writer.workdir, 'finding-aid.md') });
    assert.equal(peek.isError, true);
    assert.match(textOf(peek), /Access denied - path outside allowed directories/);
    assert.doesNotMatch(textOf(peek), /parish records/);
  });

  test("ENOENT on a file the persona never wrote is the persona's error, by the product's rule", async () => {
    const missing = await call(writer, 'read_text_file', {
      path: path.join(writer.workdir, 'never-written.md'),
    });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /^ENOENT: no such file or directory/);
    assert.equal(missing._meta?.errorClass, 'persona');
    assert.equal(missing._meta?.errorRule, 'errors.persona[0] ^ENOENT');
  });

  test("`personas products` with the walkthrough's file: the product is up with its 14 tools", async () => {
    const res = await runCli(['products', '--products', productsFile], { PERSONA_DATA_DIR: dir });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /✓ files \(stdio, per-user\): up, 14 tools/);
  });
});
