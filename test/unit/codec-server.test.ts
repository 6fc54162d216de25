// The payload codec endpoint (issue 8 item 8): Temporal's remote codec protocol on its own port,
// behind a token, a Host allowlist and a body cap; never served next to /metrics.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { after, test } from 'node:test';
import { Registry } from 'prom-client';
import { startCodecHttp } from '../../workers/codec-http.ts';
import { startWorkerHttp } from '../../workers/http.ts';
import { AesGcmPayloadCodec } from '../../workers/payload-codec.ts';

const UI_ORIGIN = 'http://localhost:8233';
const TOKEN = randomBytes(24).toString('base64url');
const LIMIT = 64 * 1024;
const server = await startCodecHttp({
  port: 0,
  host: '127.0.0.1',
  codec: new AesGcmPayloadCodec(randomBytes(32)),
  token: TOKEN,
  allowedHosts: ['localhost', '127.0.0.1'],
  corsOrigins: [UI_ORIGIN],
  bodyLimitBytes: LIMIT,
});
after(() => server.close());
const base = `http://127.0.0.1:${server.port}`;

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A payload in Temporal's JSON form, as the Web UI and `temporal --codec-endpoint` send it. */
const PLAIN = { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify({ personaId: 'p-42' })) };
const AUTH = { authorization: `Bearer ${TOKEN}` };

const post = (path: string, body: unknown, headers: Record<string, string> = AUTH) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A request with a forged Host header (fetch will not send one). */
function withHost(host: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: 'POST', headers: { host, ...AUTH } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{"payloads":[]}');
  });
}

test('with the token, encode then decode round-trips payloads in Temporal’s JSON format', async () => {
  const enc = await post('/codec/encode', { payloads: [PLAIN] });
  assert.equal(enc.status, 200);
  const encoded = (await enc.json()) as {
    payloads: Array<{ metadata: Record<string, string>; data: string }>;
  };
  assert.equal(encoded.payloads[0]!.metadata.encoding, b64('binary/encrypted'));
  assert.equal(Buffer.from(encoded.payloads[0]!.data, 'base64').includes('p-42'), false);

  const dec = await post('/codec/decode', encoded);
  assert.equal(dec.status, 200);
  assert.deepEqual(await dec.json(), { payloads: [PLAIN] });

  // The Web UI's form: its codec setting is only a URL, so the token is the path segment.
  const ui = await post(`/codec/${TOKEN}/decode`, encoded, {});
  assert.equal(ui.status, 200);
  assert.deepEqual(await ui.json(), { payloads: [PLAIN] });
});

test('without the token, or with a wrong one, nothing is decoded: 401', async () => {
  const encoded = await (await post('/codec/encode', { payloads: [PLAIN] })).json();
  for (const [name, res] of [
    ['no token', await post('/codec/decode', encoded, {})],
    ['wrong bearer', await post('/codec/decode', encoded, { authorization: 'Bearer nope-nope-nope' })],
    ['wrong path token', await post('/codec/nope-nope-nope/decode', encoded, {})],
  ] as const) {
    assert.equal(res.status, 401, name);
    const text = await res.text();
    assert.doesNotMatch(text, /p-42/, name);
    assert.doesNotMatch(text, new RegExp(TOKEN), name);
    assert.match(text, /CODEC_TOKEN/, name);
  }
});

test('a Host outside the allowlist (DNS rebinding) is refused: 403', async () => {
  assert.equal(await withHost('evil.example:80', '/codec/decode'), 403);
  assert.equal(await withHost('localhost:9466', '/codec/decode'), 200);
});

test('a body above the cap is a 413 and is not buffered', async () => {
  const big = JSON.stringify({ payloads: [{ data: 'A'.repeat(LIMIT) }] });
  const res = await post('/codec/decode', big);
  assert.equal(res.status, 413);
  assert.match(((await res.json()) as { error: string }).error, /WORKER_CODEC_BODY_LIMIT/);
});

test('a bad body is a 400 saying why', async () => {
  for (const body of ['not json', { payloads: 'nope' }, {}]) {
    const res = await post('/codec/decode', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(((await res.json()) as { error: string }).error, /invalid body/);
  }
});

test('CORS: the Web UI’s origin gets CORS (preflight without credentials); other origins are refused', async () => {
  const ok = await post('/codec/encode', { payloads: [] }, { ...AUTH, origin: UI_ORIGIN });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), UI_ORIGIN);
  const preflight = await fetch(`${base}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
  const other = await post('/codec/encode', { payloads: [] }, { ...AUTH, origin: 'https://evil.example' });
  assert.equal(other.status, 403);
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('other methods and paths are 404; the codec port serves no metrics', async () => {
  assert.equal((await fetch(`${base}/codec/encode`, { headers: AUTH })).status, 404);
  assert.equal((await post('/codec/other', { payloads: [] })).status, 404);
  assert.equal((await fetch(`${base}/metrics`, { headers: AUTH })).status, 404);
});

test('the worker’s metrics port has no codec endpoints', async () => {
  const metrics = await startWorkerHttp({ port: 0, registry: new Registry(), health: () => ({ ok: true }) });
  try {
    const res = await fetch(`http://127.0.0.1:${metrics.port}/codec/decode`, {
      method: 'POST',
      headers: AUTH,
      body: '{"payloads":[]}',
    });
    assert.equal(res.status, 404);
  } finally {
    await metrics.close();
  }
});
