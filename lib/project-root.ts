import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for project-local tools (.venv) regardless of the caller's cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
