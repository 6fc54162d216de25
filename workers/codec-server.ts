import type http from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  ...(p.data && { data: Buffer.from(p.data).toString('base64') }),
});

/**
 * Temporal's remote codec protocol: POST …/encode and …/decode with `{ payloads: [...] }` in
 * protobuf JSON (base64 bytes), CORS for the Web UI's origin.
 */
export async function handleCodecRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  codec: PayloadCodec,
  corsOrigins: string[],
): Promise<void> {
  const origin = req.headers.origin;
  if (origin && corsOrigins.includes(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  const op = req.url?.split('?')[0]?.split('/').pop();
  if (req.method !== 'POST' || (op !== 'encode' && op !== 'decode')) {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'use POST /codec/encode or /codec/decode' }));
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let body: { payloads?: JsonPayload[] };
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
    if (!Array.isArray(body.payloads)) throw new Error('payloads must be a list');
  } catch (err) {
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: `invalid body: ${(err as Error).message}` }));
    return;
  }
  const payloads = body.payloads.map(fromJson);
  const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ payloads: out.map(toJson) }));
}
