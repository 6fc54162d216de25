import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/cli.ts';
import { headingAnchors, linkTargets } from '../support/markdown-blocks.ts';

// The manual's links hold: every relative link in README.md and docs/*.md names a file that exists
// and, with `#anchor`, a heading that file has — so moving a section cannot silently break a link.
const files = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

test('every relative link in the manual reaches an existing file and heading', () => {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, headingAnchors(readFileSync(file, 'utf8')));
    return anchorsOf.get(file)!;
  };
  const broken: string[] = [];
  for (const file of files) {
    const abs = path.join(REPO_ROOT, file);
    for (const { line, target } of linkTargets(readFileSync(abs, 'utf8'))) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [filePart, anchor] = target.split('#') as [string, string | undefined];
      const dest = filePart ? path.resolve(path.dirname(abs), filePart) : abs;
      if (!existsSync(dest)) broken.push(`${file}:${line}: ${target} (no such file)`);
      else if (anchor && dest.endsWith('.md') && !anchors(dest).has(anchor))
        broken.push(`${file}:${line}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});

test('the anchors are GitHub’s', () => {
  const a = headingAnchors(
    '## Quickstart — two commands\n## `personas compare`: the verdicts\n### Goals\n### Goals\n',
  );
  assert.deepEqual([...a], ['quickstart--two-commands', 'personas-compare-the-verdicts', 'goals', 'goals-1']);
});
