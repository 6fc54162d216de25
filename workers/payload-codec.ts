import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';

export const ENCODING = 'binary/encrypted';
const CIPHER = 'AES-256-GCM';

/**
 * Optional end-to-end encryption of workflow payloads (PAYLOAD_CODEC_KEY): Temporal stores only
 * ciphertext; the worker, the CLI and the codec server (for the Web UI) decrypt. Secrets never
 * reach history in any case — this protects the rest (persona ids, summaries) at rest. Search
 * attributes are the exception: Temporal indexes them in plaintext, so the PersonaId / Archetype /
 * Cadence a tick carries stay readable (test/tick/payload-codec.test.ts pins both facts).
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(
    private readonly key: Buffer,
    private readonly keyId = 'default',
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      const plain = Buffer.from(
        JSON.stringify({
          metadata: b64map(p.metadata),
          data: p.data ? Buffer.from(p.data).toString('base64') : null,
        }),
      );
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: Buffer.from(ENCODING),
          'encryption-cipher': Buffer.from(CIPHER),
          'encryption-key-id': Buffer.from(this.keyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (Buffer.from(p.metadata?.encoding ?? []).toString() !== ENCODING || !p.data) return p;
      const data = Buffer.from(p.data);
      const decipher = createDecipheriv('aes-256-gcm', this.key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      const inner = JSON.parse(plain.toString('utf8')) as {
        metadata: Record<string, string>;
        data: string | null;
      };
      return {
        metadata: Object.fromEntries(
          Object.entries(inner.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
        ),
        data: inner.data === null ? undefined : Buffer.from(inner.data, 'base64'),
      };
    });
  }
}

function b64map(m: Payload['metadata']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  );
}

/** The data converter every client and worker of this deployment uses: with the codec iff a key is set. */
export function dataConverterFor(config: { payloadCodecKey: Buffer | undefined }): DataConverter | undefined {
  return config.payloadCodecKey
    ? { payloadCodecs: [new AesGcmPayloadCodec(config.payloadCodecKey)] }
    : undefined;
}
