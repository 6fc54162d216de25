import {
  createHash,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt N=2^15, r=8, p=1: ~50 ms and 32 MiB per hash, the OWASP-recommended floor for scrypt.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEYLEN = 32;

/**
 * `scrypt` for anything a person chose. `sha256` only for machine-derived secrets with 256 bits of
 * entropy (persona passwords are HMAC-SHA256 outputs): brute force is hopeless either way, so a
 * slow KDF would only make seeding 10,000 personas take minutes instead of seconds.
 */
export type PasswordScheme = 'scrypt' | 'sha256';

export async function hashPassword(password: string, scheme: PasswordScheme = 'scrypt'): Promise<string> {
  if (scheme === 'sha256') {
    const salt = randomBytes(16);
    return `sha256$${salt.toString('base64')}$${sha256(salt, password).toString('base64')}`;
  }
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function sha256(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password).digest();
}

let dummy: Promise<string> | undefined;
/**
 * A scrypt hash of a random password nobody knows, made once per process: a login for an unknown
 * email is checked against it, so it costs what a wrong password costs (no timing enumeration).
 */
export function dummyPasswordHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(24).toString('base64')));
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  if (stored.startsWith('sha256$')) {
    const [, saltB64, hashB64] = stored.split('$');
    if (!saltB64 || !hashB64) return false;
    const expected = Buffer.from(hashB64, 'base64');
    const actual = sha256(Buffer.from(saltB64, 'base64'), password);
    // timingSafeEqual throws on a length mismatch; a malformed stored hash simply does not match.
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  const [alg, n, r, p, saltB64, keyB64] = stored.split('$');
  if (alg !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(expected, actual);
}
