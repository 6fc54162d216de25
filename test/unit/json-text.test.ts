// Syntax errors in the catalog and the products file name file, line and column, show the line with
// a caret, one problem per line of the file, and never carry the file's raw text mid-message (issue 24).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonText } from '../../lib/config/json-text.ts';
import { parseProducts } from '../../lib/products/products-config.ts';

const problems = (text: string) => {
  const r = parseJsonText(text, 'cat.json');
  assert.equal(r.ok, false, 'accepted invalid JSON');
  return (r as { problems: string[] }).problems;
};

test('valid JSON parses', () => {
  assert.deepEqual(parseJsonText('{"a": [1, 2]}', 'x.json'), { ok: true, value: { a: [1, 2] } });
});

test('a trailing comma: line, column, the line and a caret under the column', () => {
  assert.deepEqual(problems('{\n  "version": 1,\n  "personas": [1, 2,]\n}\n'), [
    'cat.json:3:21: expected a value (a trailing comma, or a missing value?)\n' +
      '        "personas": [1, 2,]\n' +
      '                          ^',
  ]);
});

test('an unquoted value names the character; its echoes on the same line are not repeated', () => {
  assert.deepEqual(problems('{"a": x}'), [
    'cat.json:1:7: unexpected character "x"\n      {"a": x}\n            ^',
  ]);
});

test('a missing comma between two lines points at the second', () => {
  const [p] = problems('{\n  "a": 1\n  "b": 2\n}');
  assert.match(p!, /^cat\.json:3:3: expected ','/);
});

test('two broken lines: two problems; comments are named as such', () => {
  const ps = problems('{\n  // note\n  "a": 1,\n  "b": x\n}');
  assert.equal(ps.length, 2);
  assert.match(ps[0]!, /^cat\.json:2:3: comments are not allowed in JSON/);
  assert.match(ps[1]!, /^cat\.json:4:8: unexpected character "x"/);
});

test('an empty file and a cut-off file', () => {
  assert.match(problems('')[0]!, /^cat\.json:1:1: expected a value/);
  assert.match(problems('{"a": [1,')[0]!, /^cat\.json:1:10: expected a value/);
});

test('a long line is clipped around the column, with the caret under it', () => {
  const text = `{"a": "${'x'.repeat(300)}", "b": y}`;
  const [p] = problems(text);
  const [head, shown, caret] = p!.split('\n');
  assert.match(head!, /^cat\.json:1:316: unexpected character "y"/);
  assert.ok(shown!.length < 120, 'the excerpt is clipped');
  assert.equal(shown![caret!.indexOf('^')], 'y');
});

test('a products file: the same message, and no raw text of the file in it', () => {
  assert.throws(
    () => parseProducts('{"products": [\n  {"name": "memory",\n   "transport": x}\n]}', 'products.json'),
    (err: Error) => {
      assert.match(
        err.message,
        /products\.json:3:17: unexpected character "x"\n {9}"transport": x\}\n {22}\^/,
      );
      assert.doesNotMatch(err.message, /is not valid JSON|position/);
      return true;
    },
  );
});
