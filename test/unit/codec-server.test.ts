import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Registry } from 'prom-client';
import { startWorkerHttp } from '../../workers/http.ts';
import { AesGcmPayloadCodec } from '../../workers/payload-codec.ts';

const UI_ORIGIN = 'http://localhost:8233';
const server = await startWorkerHttp({
  port: 0,
  registry: new Registry(),
  health: () => ({ ok: true }),
  codec: new AesGcmPayloadCodec(randomBytes(32)),
  corsOrigins: [UI_ORIGIN],
});
after(() => server.close());
const base = `http://127.0.0.1:${server.port}`;

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A payload in Temporal's JSON form, as the Web UI and `temporal --codec-endpoint` send it. */
const PLAIN = { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify({ personaId: 'p-42' })) };

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

test('POST /codec/encode then /codec/decode round-trips payloads in Temporal’s JSON format', async () => {
  const enc = await post('/codec/encode', { payloads: [PLAIN] });
  assert.equal(enc.status, 200);
  const encoded = (await enc.json()) as {
    payloads: Array<{ metadata: Record<string, string>; data: string }>;
  };
  assert.equal(encoded.payloads.length, 1);
  assert.equal(encoded.payloads[0]!.metadata.encoding, b64('binary/encrypted'));
  assert.equal(Buffer.from(encoded.payloads[0]!.data, 'base64').includes('p-42'), false);

  const dec = await post('/codec/decode', encoded);
  assert.equal(dec.status, 200);
  assert.deepEqual(await dec.json(), { payloads: [PLAIN] });
});

test('a bad body is a 400 saying why', async () => {
  for (const body of ['not json', { payloads: 'nope' }, {}]) {
    const res = await post('/codec/decode', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(((await res.json()) as { error: string }).error, /invalid body/);
  }
});

test('CORS: the Web UI’s origin is allowed (preflight too), other origins get no CORS headers', async () => {
  const ok = await post('/codec/encode', { payloads: [] }, { origin: UI_ORIGIN });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('access-control-allow-origin'), UI_ORIGIN);
  const preflight = await fetch(`${base}/codec/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
  const other = await post('/codec/encode', { payloads: [] }, { origin: 'https://evil.example' });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('other methods and paths are 404; /health and /metrics still answer', async () => {
  assert.equal((await fetch(`${base}/codec/encode`)).status, 404);
  assert.equal((await post('/codec/other', { payloads: [] })).status, 404);
  assert.equal((await fetch(`${base}/health`)).status, 200);
  assert.equal((await fetch(`${base}/metrics`)).status, 200);
});

test('without a codec configured there are no codec endpoints', async () => {
  const bare = await startWorkerHttp({ port: 0, registry: new Registry(), health: () => ({ ok: true }) });
  try {
    const res = await fetch(`http://127.0.0.1:${bare.port}/codec/encode`, {
      method: 'POST',
      body: '{"payloads":[]}',
    });
    assert.equal(res.status, 404);
  } finally {
    await bare.close();
  }
});
