// The data dir's generated secrets (lib/config/local-secrets.ts): each file 32 bytes base64url and
// readable by its owner alone (0600), the directory 0700. Missing ones are generated on first start.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail, pass, type CheckResult } from './check.ts';

const mode = (m: number) => (m & 0o777).toString(8).padStart(4, '0');

export async function checkSecrets(dataDir: string): Promise<CheckResult[]> {
  const dir = path.join(dataDir, 'secrets');
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat) return [pass('secrets', `none yet in ${dir}: generated on first start`)];
  const out: CheckResult[] = [];
  if ((dirStat.mode & 0o077) !== 0)
    out.push(fail('secrets', `${dir} is mode ${mode(dirStat.mode)}: others can list it`, `chmod 700 ${dir}`));
  const files = (await readdir(dir)).filter((f) => !f.endsWith('.tmp')).sort();
  for (const f of files) {
    const file = path.join(dir, f);
    const s = await stat(file);
    if ((s.mode & 0o077) !== 0) {
      out.push(
        fail(`secret ${f}`, `${file} is mode ${mode(s.mode)}: readable by others`, `chmod 600 ${file}`),
      );
      continue;
    }
    const bytes = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    out.push(
      bytes.length === 32
        ? pass(`secret ${f}`, `present, mode 0600`)
        : fail(
            `secret ${f}`,
            `${file} is not a secret persona-runner generated (expected 32 bytes, base64url)`,
            'restore it from a backup; delete it only if no data depends on it (a new one is generated)',
          ),
    );
  }
  return out.length ? out : [pass('secrets', `none yet in ${dir}: generated on first start`)];
}
