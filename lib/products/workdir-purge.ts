import fs from 'node:fs/promises';
import path from 'node:path';
import { productDir } from './placeholders.ts';

/** A user id as the gateway names a workdir after it: never a path of its own. */
const PLAIN_ID = /^[A-Za-z0-9-]+$/;

/**
 * Removes the users' `${workdir}`s of every per-user product (`<dataDir>/products/<name>/<user.id>`):
 * what a stdio product kept for a persona goes with the persona, like its rows. Every product
 * directory is looked at, not only those of today's products file: a product removed from it since
 * may have left a persona's files behind. Returns how many directories were removed.
 */
export async function purgeUserWorkdirs(dataDir: string, userIds: readonly string[]): Promise<number> {
  let products: string[];
  try {
    products = await fs.readdir(path.join(dataDir, 'products'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const product of products)
    for (const id of userIds) {
      if (!PLAIN_ID.test(id)) continue;
      const dir = path.join(productDir(dataDir, product), id);
      const found = await fs.stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!found) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed++;
    }
  return removed;
}
