// zod's own wording ("Too big: expected number to be <=600") never reaches a user: every issue a
// schema does not word itself is worded as ours are (lib/config/zod-words.ts, issue 24).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import '../../lib/config/zod-words.ts';
import { parseProducts } from '../../lib/products/products-config.ts';

const messageOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  assert.equal(r.success, false);
  return r.error!.issues[0]!.message;
};

test('bounds, types, enums and formats in our words', () => {
  assert.equal(messageOf(z.number().max(1), 2), 'must be at most 1');
  assert.equal(messageOf(z.number().min(1), 0), 'must be at least 1');
  assert.equal(messageOf(z.number().lt(1), 1), 'must be less than 1');
  assert.equal(messageOf(z.string().min(1), ''), 'must not be empty');
  assert.equal(messageOf(z.string().max(3), 'abcd'), 'must be at most 3 characters');
  assert.equal(messageOf(z.array(z.number()).max(1), [1, 2]), 'must be at most 1 entry');
  assert.equal(messageOf(z.number(), 'x'), 'expected a number, got string');
  assert.equal(messageOf(z.object({ a: z.number() }), {}), 'missing: expected a number');
  assert.equal(messageOf(z.enum(['a', 'b']), 'c'), 'expected one of "a" | "b"');
  assert.equal(messageOf(z.url(), 'nope'), 'expected a URL');
});

test("a schema's own wording wins", () => {
  assert.equal(messageOf(z.number().max(1, { error: 'weights must be ≤ 1' }), 2), 'weights must be ≤ 1');
});

test('a products file: an out-of-range number says so plainly', () => {
  assert.throws(
    () =>
      parseProducts(
        JSON.stringify({
          products: [{ name: 'memory', transport: { type: 'stdio', command: 'x' }, callTimeoutSeconds: 601 }],
        }),
        'products.json',
      ),
    (err: Error) => {
      assert.match(err.message, /products\[0\] \(memory\): callTimeoutSeconds: must be at most 600/);
      assert.doesNotMatch(err.message, /Too big|expected number to be/);
      return true;
    },
  );
});
