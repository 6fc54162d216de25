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

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** The body, or undefined after answering 413: a decrypting endpoint must not buffer whatever it is sent. */
async function readCapped(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  const tooLarge = () => {
    res.setHeader('connection', 'close');
    json(res, 413, { error: `body larger than ${limit} bytes (WORKER_CODEC_BODY_LIMIT)` });
    req.resume(); // drain without keeping it
    return undefined;
  };
  if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Temporal's remote codec protocol: POST …/encode and …/decode with `{ payloads: [...] }` in
 * protobuf JSON (base64 bytes). Authentication, Host and CORS are the caller's (workers/codec-http.ts).
 */
export async function handleCodecRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  codec: PayloadCodec,
  op: 'encode' | 'decode',
  bodyLimitBytes: number,
): Promise<void> {
  const raw = await readCapped(req, res, bodyLimitBytes);
  if (!raw) return;
  let body: { payloads?: JsonPayload[] };
  try {
    body = JSON.parse(raw.toString('utf8')) as { payloads?: JsonPayload[] };
    if (!Array.isArray(body.payloads)) throw new Error('payloads must be a list');
  } catch (err) {
    json(res, 400, { error: `invalid body: ${(err as Error).message}` });
    return;
  }
  const payloads = body.payloads.map(fromJson);
  const out = op === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
  json(res, 200, { payloads: out.map(toJson) });
}
