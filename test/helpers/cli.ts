// node:test wrapper of test/support/cli.ts: scratch directories removed when the test file ends.
import { after } from 'node:test';
import { tempDir as makeTempDir } from '../support/cli.ts';

export { REPO_ROOT, UNREACHABLE_DATABASE_URL, runCli, type CliResult } from '../support/cli.ts';

/** A scratch directory for catalog files, removed when the test file ends. */
export async function tempDir(): Promise<{
  dir: string;
  write(name: string, content: unknown): Promise<string>;
}> {
  const dir = await makeTempDir();
  after(() => dir.remove());
  return dir;
}
