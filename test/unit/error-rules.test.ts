import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_RULE_LENGTH } from '../../lib/products/error-rules.ts';
import { parseProducts, ProductsConfigError } from '../../lib/products/products-config.ts';
import { attributeUpstreamError } from '../../mcp-gateway/upstream/error-attribution.ts';

// A product's `"errors"`: regexes on an upstream's error text that say whose side an error is on.
const stdio = { type: 'stdio', command: 'node', args: ['server.js'] };
const productWith = (errors: unknown) =>
  parseProducts(JSON.stringify({ products: [{ name: 'files', transport: stdio, errors }] }), 'p.json')
    .products[0]!;
const problemsOf = (errors: unknown): string[] => {
  try {
    productWith(errors);
  } catch (err) {
    assert.ok(err instanceof ProductsConfigError, String(err));
    return err.problems;
  }
  assert.fail('the products file was accepted');
};
const classOf = (errors: unknown, text: string) =>
  attributeUpstreamError(productWith(errors).errorRules, text);

describe('error attribution rules', () => {
  test('no rules: every upstream error is the product’s, as before', () => {
    assert.deepEqual(attributeUpstreamError(productWith(undefined).errorRules, 'ENOENT: no such file'), {
      errorClass: 'product',
    });
  });

  test('a matching rule classes the error and is named; searched, `^` anchors', () => {
    const errors = { persona: ['^ENOENT', 'not found', '[Ii]nvalid'] };
    assert.deepEqual(classOf(errors, "ENOENT: no such file or directory, open '/x/plan.md'"), {
      errorClass: 'persona',
      errorRule: 'errors.persona[0] ^ENOENT',
    });
    assert.equal(
      classOf(errors, 'Input validation error: Invalid arguments').errorRule,
      'errors.persona[2] [Ii]nvalid',
    );
    assert.deepEqual(classOf(errors, 'open failed: ENOENT'), { errorClass: 'product' }, '^ anchors');
    assert.deepEqual(classOf(errors, 'disk full'), { errorClass: 'product' }, 'no match: product');
  });

  test('first match wins, in the order the file writes the lists', () => {
    const text = 'ENOENT: database file not found';
    const productFirst = { product: ['database'], persona: ['^ENOENT'] };
    const personaFirst = { persona: ['^ENOENT'], product: ['database'] };
    assert.deepEqual(classOf(productFirst, text), {
      errorClass: 'product',
      errorRule: 'errors.product[0] database',
    });
    assert.deepEqual(classOf(personaFirst, text), {
      errorClass: 'persona',
      errorRule: 'errors.persona[0] ^ENOENT',
    });
    assert.equal(
      classOf({ persona: ['zzz', 'not found', 'ENOENT'] }, text).errorRule,
      'errors.persona[1] not found',
    );
  });

  test('an invalid regex is refused at load, naming the product and the rule', () => {
    const [missing] = problemsOf({ persona: ['^ENOENT', '(unclosed'] });
    assert.match(
      missing!,
      /^products\[0\] \(files\): errors\.persona\[1\]: "\(unclosed" is not a regex RE2 can run \(.*missing closing \)/,
    );
    // What RE2 cannot run in linear time (backreferences, lookaround) is refused, not silently dropped.
    const [backref, lookahead] = problemsOf({ product: ['(a)\\1', '(?=x)y'] });
    assert.match(backref!, /errors\.product\[0\]: .*not a regex RE2 can run/);
    assert.match(lookahead!, /errors\.product\[1\]: .*not a regex RE2 can run/);
  });

  test('rules are bounded: length, count, known sides only', () => {
    assert.match(problemsOf({ persona: ['a'.repeat(MAX_RULE_LENGTH + 1)] })[0]!, /errors\.persona\.0: /);
    assert.match(problemsOf({ persona: Array(51).fill('x') })[0]!, /errors\.persona: /);
    assert.match(problemsOf({ infra: ['timeout'] })[0]!, /errors\.infra: unknown field/);
    assert.match(problemsOf({ persona: [''] })[0]!, /errors\.persona\.0: /);
  });

  test('a pattern that backtracks catastrophically elsewhere runs in linear time here', () => {
    // `(a+)+$` on "aaaa…!" takes exponential time with a backtracking engine: this test would hang.
    // (Only the first 4 KB of an error are matched: the texts stay below that, so `$` sees the end.)
    const slow = { persona: ['(a+)+$', '^(x|x)*y$'] };
    assert.deepEqual(classOf(slow, `${'a'.repeat(4000)}!`), { errorClass: 'product' });
    assert.deepEqual(classOf(slow, `${'x'.repeat(4000)}z`), { errorClass: 'product' });
    assert.equal(classOf(slow, 'aaaa').errorRule, 'errors.persona[0] (a+)+$');
  });
});
