import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec } from '../../workers/payload-codec.ts';

const key = randomBytes(32);
const codec = new AesGcmPayloadCodec(key, 'k1');
const SECRET_ISH = 'persona-0b5e7c1a-the-plaintext';
const payload = (data: string | undefined, encoding = 'json/plain'): Payload => ({
  metadata: { encoding: Buffer.from(encoding), 'x-extra': Buffer.from([0, 1, 2]) },
  data: data === undefined ? undefined : Buffer.from(data),
});
const str = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');

test('encode then decode gives back the payloads, metadata included', async () => {
  const original = [payload(JSON.stringify({ personaId: SECRET_ISH })), payload(undefined, 'binary/null')];
  const decoded = await codec.decode(await codec.encode(original));
  assert.equal(decoded.length, 2);
  assert.equal(str(decoded[0]!.data), JSON.stringify({ personaId: SECRET_ISH }));
  assert.equal(str(decoded[0]!.metadata!.encoding), 'json/plain');
  assert.deepEqual([...decoded[0]!.metadata!['x-extra']!], [0, 1, 2]);
  assert.equal(decoded[1]!.data, undefined);
  assert.equal(str(decoded[1]!.metadata!.encoding), 'binary/null');
});

test('the encoded payload is ciphertext: no plaintext, marked encrypted, fresh IV each time', async () => {
  const [a] = await codec.encode([payload(SECRET_ISH)]);
  const [b] = await codec.encode([payload(SECRET_ISH)]);
  assert.equal(str(a!.metadata!.encoding), 'binary/encrypted');
  assert.equal(str(a!.metadata!['encryption-cipher']), 'AES-256-GCM');
  assert.equal(str(a!.metadata!['encryption-key-id']), 'k1');
  const bytes = Buffer.from(a!.data!);
  for (const form of [SECRET_ISH, Buffer.from(SECRET_ISH).toString('base64'), 'json/plain']) {
    assert.equal(bytes.includes(form), false, `${form} visible in ciphertext`);
    assert.equal(bytes.toString('base64').includes(form), false);
  }
  assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!), 'same plaintext, different ciphertext');
});

test('a wrong key or tampered ciphertext fails to decode; unencrypted payloads pass through', async () => {
  const [enc] = await codec.encode([payload(SECRET_ISH)]);
  await assert.rejects(new AesGcmPayloadCodec(randomBytes(32)).decode([enc!]), /authenticate/);
  const tampered = Buffer.from(enc!.data!);
  tampered[20]! ^= 1;
  await assert.rejects(codec.decode([{ ...enc!, data: tampered }]), /authenticate/);
  const plain = payload('{"a":1}');
  assert.deepEqual(await codec.decode([plain]), [plain]);
});
