import { createHash } from 'node:crypto';

/*
 * The tests' own secrets, passed explicitly everywhere (gateway, worker, CLI children) instead of
 * letting each process generate one into a data dir: processes of one test must agree on them, and
 * nothing here is a default of the product (it ships no secret constants).
 */
export const TEST_KEK = createHash('sha256').update('persona-runner tests: vault KEK').digest();
export const TEST_KEK_B64 = TEST_KEK.toString('base64');
export const TEST_SEED_SECRET = createHash('sha256').update('persona-runner tests: seed').digest('base64url');
/** Environment carrying the test secrets, for configs and child processes. */
export const TEST_SECRET_ENV = { VAULT_KEK: TEST_KEK_B64, PERSONA_SEED_SECRET: TEST_SEED_SECRET };
