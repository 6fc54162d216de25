// Issue 8 item 7: no secret constant ships. Unset in development, VAULT_KEK and PERSONA_SEED_SECRET
// are generated once into the data dir (0600) and reused; production demands explicit values.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { localSecretPath } from '../../lib/config/local-secrets.ts';
import { InsecureSeedSecretError, resolveSeedSecret } from '../../lib/personas/password.ts';
import { InsecureKekError, resolveKek } from '../../lib/demo-product/kek.ts';
import { loadGatewayConfig } from '../../mcp-gateway/config.ts';
import { loadWorkerConfig } from '../../workers/config.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function dataDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'persona-runner-secrets-'));
  dirs.push(d);
  return d;
}

const dev = (dir: string) => ({ production: false, dataDir: dir });

describe('development secrets are generated per data dir, never constants', () => {
  test('a data dir created for a secret keeps its usual mode; only secrets/ is private', async () => {
    const dir = path.join(await dataDir(), 'fresh', '.data');
    resolveKek({ vaultKek: undefined, ...dev(dir) });
    // The embedded Postgres, run as its own user when started by root, must enter the data dir.
    assert.notEqual((await stat(dir)).mode & 0o001, 0, 'others may enter the data dir');
    assert.equal((await stat(path.join(dir, 'secrets'))).mode & 0o777, 0o700);
  });

  test('VAULT_KEK: 32 random bytes in <data dir>/secrets/vault-kek (0600, dir 0700), reused', async () => {
    const dir = await dataDir();
    const a = resolveKek({ vaultKek: undefined, ...dev(dir) });
    assert.equal(a.length, 32);
    const file = localSecretPath(dir, 'vault-kek');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    assert.ok(resolveKek({ vaultKek: undefined, ...dev(dir) }).equals(a), 'a restart reuses it');
    // Every entry point sharing the data dir agrees: the gateway's and the worker's config.
    const env = { PERSONA_DATA_DIR: dir };
    assert.ok(resolveKek(loadGatewayConfig(env)).equals(a));
    assert.ok(resolveKek(loadWorkerConfig(env)).equals(a));

    const other = resolveKek({ vaultKek: undefined, ...dev(await dataDir()) });
    assert.ok(!other.equals(a), 'another installation gets another key');
  });

  test('PERSONA_SEED_SECRET: generated into secrets/persona-seed, reused, differs per data dir', async () => {
    const dir = await dataDir();
    const a = resolveSeedSecret({ seedSecret: undefined, ...dev(dir) });
    assert.ok(a.length >= 32);
    assert.equal((await stat(localSecretPath(dir, 'persona-seed'))).mode & 0o777, 0o600);
    assert.equal(resolveSeedSecret({ seedSecret: undefined, ...dev(dir) }), a);
    assert.equal(resolveSeedSecret(loadWorkerConfig({ PERSONA_DATA_DIR: dir })), a);
    assert.notEqual(resolveSeedSecret({ seedSecret: undefined, ...dev(await dataDir()) }), a);
    assert.notEqual(a, 'persona-runner-dev-seed-secret');
  });

  test('explicit values win and nothing is written', async () => {
    const dir = await dataDir();
    const kek = Buffer.alloc(32, 7);
    assert.ok(resolveKek({ vaultKek: kek, ...dev(dir) }).equals(kek));
    assert.equal(
      resolveSeedSecret({ seedSecret: 'an explicit secret value', ...dev(dir) }),
      'an explicit secret value',
    );
    await assert.rejects(stat(path.join(dir, 'secrets')), { code: 'ENOENT' });
  });

  test('a damaged secret file is an error naming the file, not silently replaced', async () => {
    const dir = await dataDir();
    resolveKek({ vaultKek: undefined, ...dev(dir) });
    const file = localSecretPath(dir, 'vault-kek');
    await writeFile(file, 'short');
    assert.throws(
      () => resolveKek({ vaultKek: undefined, ...dev(dir) }),
      (err: Error) => err.message.includes(file),
    );
    assert.equal(await readFile(file, 'utf8'), 'short', 'the file is left for the operator');
  });

  test('production demands explicit values (and refuses the formerly published seed secret)', async () => {
    const dir = await dataDir();
    const prod = { production: true, dataDir: dir };
    assert.throws(() => resolveKek({ vaultKek: undefined, ...prod }), InsecureKekError);
    assert.throws(() => resolveSeedSecret({ seedSecret: undefined, ...prod }), InsecureSeedSecretError);
    assert.throws(
      () => resolveSeedSecret({ seedSecret: 'persona-runner-dev-seed-secret', ...prod }),
      InsecureSeedSecretError,
    );
    await assert.rejects(stat(path.join(dir, 'secrets')), { code: 'ENOENT' }, 'production generates nothing');
  });
});
