/** A value shorter than this is not treated as a credential: masking it everywhere would mangle results. */
const MIN_SECRET_LENGTH = 8;
const MASK = '[redacted]';

/** Header names whose values are credentials even when written literally in the products file. */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie)$|token|secret|key|auth|session|password/i;

/**
 * Masks a session's credentials — what `${env:…}` and `${user.secret}` expanded to, credential
 * headers' values — wherever they would leave the gateway: tool results, error messages,
 * `lastError`, the log. An upstream that echoes what it was sent (a header in an error page, a token
 * in a result) cannot make the gateway repeat it.
 */
export class Redactor {
  private readonly secrets: string[];
  /** Each secret as it appears inside a JSON string (escaped), for redacting serialised values. */
  private readonly inJson: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set(secrets)]
      .filter((s) => s.length >= MIN_SECRET_LENGTH)
      // Longest first, so a secret that contains another is masked whole.
      .sort((a, b) => b.length - a.length);
    this.inJson = this.secrets.map((s) => JSON.stringify(s).slice(1, -1));
  }

  text(s: string): string {
    for (const secret of this.secrets) if (s.includes(secret)) s = s.split(secret).join(MASK);
    return s;
  }

  /** `value` with every secret masked (keys too); `value` itself when it holds none. */
  value<T>(value: T): T {
    if (!this.secrets.length) return value;
    const json = JSON.stringify(value);
    if (json === undefined || !this.inJson.some((s) => json.includes(s))) return value;
    let out = json;
    for (const s of this.inJson) out = out.split(s).join(MASK);
    return JSON.parse(out) as T;
  }
}

/** The credentials of a header set: credential-named headers' values, and their part after a scheme. */
export function headerSecrets(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => CREDENTIAL_HEADER.test(name))
    .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, '')]);
}
