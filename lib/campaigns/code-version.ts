import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.ts';

/**
 * The code a campaign runs: `CODE_VERSION` (CI sets it to the commit), else the checkout's git sha
 * (with `-dirty` when it has local changes), else the package version (an installed copy).
 */
export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODE_VERSION?.trim()) return env.CODE_VERSION.trim();
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const sha = git(['rev-parse', '--short=12', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) ? `${sha}-dirty` : sha;
  } catch {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    return `v${pkg.version}`;
  }
}
