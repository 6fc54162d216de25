import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CatalogError, parseCatalog } from '../../lib/personas/catalog.ts';
import { expandPlaceholders, userSecret } from '../../lib/products/placeholders.ts';
import { parseProducts, ProductsConfigError, servedModules } from '../../lib/products/products-config.ts';
import { mapProductTools, ToolMappingError } from '../../mcp-gateway/upstream/tool-mapping.ts';

const stdio = { type: 'stdio', command: 'node', args: ['server.js'] };
const problemsOf = (config: unknown): string[] => {
  try {
    parseProducts(JSON.stringify(config), 'p.json');
  } catch (err) {
    assert.ok(err instanceof ProductsConfigError);
    return err.problems;
  }
  return [];
};

describe('products file', () => {
  test('the example of the issue parses with defaults', () => {
    const c = parseProducts(
      JSON.stringify({
        builtin: true,
        products: [
          {
            name: 'memory',
            transport: { ...stdio, env: { MEMORY_FILE_PATH: '${dataDir}/memory/${user.id}.jsonl' } },
            isolation: 'per-user',
          },
          {
            name: 'everything',
            transport: {
              type: 'http',
              url: 'http://127.0.0.1:3001/mcp',
              headers: { Authorization: 'Bearer ${env:EVERYTHING_TOKEN}' },
            },
            include: ['echo', 'get-sum'],
          },
        ],
      }),
    );
    assert.equal(c.products[1]!.isolation, 'shared');
    assert.equal(c.products[0]!.maxSessions, 50);
    assert.deepEqual(servedModules(c), ['habits', 'todos', 'notes', 'journal', 'memory', 'everything']);
  });

  test('every error names the product and the field', () => {
    assert.deepEqual(
      problemsOf({
        products: [
          { name: 'bad name', transport: stdio },
          { name: 'http', transport: { type: 'http', url: 'ftp://x' } },
          { name: 'shared', transport: { ...stdio, env: { F: '${user.id}', G: '${nope}' } } },
          { name: 'todos', transport: stdio, colour: 'red' },
          { name: 'shared', transport: stdio },
        ],
      }),
      [
        'products[0] (bad name): name: expected 1–32 of [a-zA-Z0-9_-], starting with a letter or digit, no "__"',
        'products[1] (http): transport.url: expected an http:// or https:// URL',
        'products[2] (shared): transport.env.F: ${user.id}: user placeholders need "isolation": "per-user" (a shared connection has no user)',
        'products[2] (shared): transport.env.G: ${nope}: unknown placeholder; use ${env:NAME}, ${dataDir}, ${workdir}, ${user.id}, ${user.email}, ${user.secret}',
        'products[3] (todos): colour: unknown field',
        'products[4] (shared): name: duplicate product name',
      ],
    );
  });

  test('a product may not take a built-in module name while the built-in product is served', () => {
    assert.match(
      problemsOf({ products: [{ name: 'todos', transport: stdio }] })[0]!,
      /products\[0\] \(todos\): name: "todos" is a built-in module/,
    );
    assert.deepEqual(problemsOf({ builtin: false, products: [{ name: 'todos', transport: stdio }] }), []);
  });

  test('placeholders expand; a missing variable is named, its value never shown', () => {
    const ctx = {
      env: { TOKEN: 's3cr3t' },
      dataDir: '/d',
      product: 'p',
      seedSecret: 'seed',
      user: { id: 'u1', email: 'A@x.test' },
    };
    assert.equal(
      expandPlaceholders('${dataDir}/${user.id}:${env:TOKEN}:${user.email}', ctx),
      '/d/u1:s3cr3t:A@x.test',
    );
    assert.equal(expandPlaceholders('${user.secret}', ctx), userSecret('seed', 'p', 'u1'));
    assert.notEqual(userSecret('seed', 'p', 'u1'), userSecret('seed', 'q', 'u1'), 'per product');
    // Bound to the user id: whoever later registers the same email gets another secret.
    const sameEmail = { ...ctx, user: { id: 'u2', email: 'A@x.test' } };
    assert.notEqual(
      expandPlaceholders('${user.secret}', sameEmail),
      expandPlaceholders('${user.secret}', ctx),
    );
    const secrets = new Set<string>();
    expandPlaceholders('${env:TOKEN}/${user.secret}/${user.email}', { ...ctx, secrets });
    assert.deepEqual(
      [...secrets],
      ['s3cr3t', userSecret('seed', 'p', 'u1')],
      'credentials are collected for redaction',
    );
    assert.throws(() => expandPlaceholders('${env:MISSING}', ctx), /environment variable MISSING is not set/);
  });
});

describe('tool mapping', () => {
  const product = parseProducts(
    JSON.stringify({
      products: [
        {
          name: 'crm',
          transport: stdio,
          exclude: ['drop'],
          rename: { 'contacts.search': 'contacts_search' },
          modules: { 'contacts.search': 'contacts' },
        },
      ],
    }),
  ).products[0]!;
  const tool = (name: string, annotations = {}) => ({
    name,
    inputSchema: { type: 'object' as const },
    annotations,
  });

  test('names, rename, exclude, modules and policy hints', () => {
    const mapped = mapProductTools(product, [
      tool('list', { readOnlyHint: true }),
      tool('contacts.search'),
      tool('drop'),
      tool('wipe', { destructiveHint: true }),
    ]);
    assert.deepEqual(
      mapped.map((t) => [t.name, t.module, t.policyHint]),
      [
        ['crm__list', 'crm', 'read'],
        ['crm__contacts_search', 'contacts', 'write'],
        ['crm__wipe', 'crm', 'destructive'],
      ],
    );
  });

  test('a name that cannot be mapped says which tool and how to fix it', () => {
    const plain = { ...product, rename: {} };
    assert.throws(
      () => mapProductTools(plain, [tool('contacts.search')]),
      (err: unknown) => {
        assert.ok(err instanceof ToolMappingError);
        assert.match(
          err.message,
          /tool "contacts\.search" cannot be exposed as "crm__contacts\.search".*"rename": \{"contacts\.search"/,
        );
        return true;
      },
    );
    assert.throws(() => mapProductTools(plain, [tool('x'.repeat(62))]), /cannot be exposed/);
  });
});

describe('catalog modules come from the products', () => {
  const persona = (moduleMix: Record<string, number>) => ({
    email: 'kim@personas.test',
    displayName: 'Kim',
    archetype: 'researcher',
    systemPrompt: 'Kim keeps a knowledge graph of every paper she reads, meticulously.',
    moduleMix,
    cadence: 'daily',
    timezone: 'UTC',
  });
  const catalog = (mix: Record<string, number>) => JSON.stringify({ version: 1, personas: [persona(mix)] });
  const products = parseProducts(
    JSON.stringify({ builtin: false, products: [{ name: 'memory', transport: stdio }] }),
  );

  test("a product's module may be named in moduleMix", () => {
    assert.equal(
      parseCatalog(catalog({ memory: 1 }), 'c.json', servedModules(products))[0]!.moduleMix.memory,
      1,
    );
  });

  test('a module no product serves is an error naming the persona and the module', () => {
    assert.throws(
      () => parseCatalog(catalog({ memory: 0.5, todos: 0.5 }), 'c.json', servedModules(products)),
      (err: unknown) => {
        assert.ok(err instanceof CatalogError);
        assert.match(
          err.problems[0]!,
          /^personas\[0\] \(kim@personas\.test\): moduleMix: unknown module\(s\) todos; modules are memory/,
        );
        return true;
      },
    );
    assert.throws(() => parseCatalog(catalog({ memory: 1 })), /unknown module\(s\) memory/);
  });
});
