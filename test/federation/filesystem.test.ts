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

// @modelcontextprotocol/server-filesystem over stdio, per user, as the README's walkthrough sets it
// up: each persona's child may use only its own `${workdir}`, which the gateway creates (0700)
// before the child starts (the server refuses to start without it). Its write tools are annotated
// destructiveHint, so only a persona whose catalog entry says `"destructive": true` may write.
const dir = await scratchDir();
const products = {
  builtin: false,
  products: [
    {
      name: 'files',
      isolation: 'per-user',
      transport: { type: 'stdio', command: process.execPath, args: [FILESYSTEM_SERVER, '${workdir}'] },
      errors: { persona: ['^ENOENT', 'outside allowed directories'] },
    },
  ],
};
const gw = await startTestGateway({
  PERSONA_PRODUCTS: await writeProducts(dir, products),
  PERSONA_DATA_DIR: dir,
  POLICY_MODE: 'enforce',
});
const PROMPT = 'You file the county archive and keep every finding aid in plain text files.';
const entry = (name: string, extra: Record<string, unknown> = {}) => ({
  email: `${name}@personas.test`,
  displayName: name,
  archetype: 'archivist',
  systemPrompt: PROMPT,
  moduleMix: { files: 1 },
  cadence: 'daily',
  timezone: 'UTC',
  ...extra,
});
const defs = parseCatalog(
  JSON.stringify({ version: 1, personas: [entry('writer', { destructive: true }), entry('reader')] }),
  'catalog.json',
  ['files'],
);
await seedPersonas(gw.database.db, gw.kek, TEST_SEED_SECRET, defs);
const persona = async (name: string) => {
  const t = await gw.tokenFor({ email: `${name}@personas.test` });
  const workdir = path.join(dir, 'products', 'files', t.userId);
  return { ...t, workdir, client: await gw.client(t.token) };
};
const writer = await persona('writer');
const reader = await persona('reader');
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
});
