import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DecryptionError } from '../../lib/demo-product/aes-gcm.ts';
import {
  isSealedPart,
  openTranscriptPart,
  personaTranscriptKey,
  sealTranscriptPart,
  type TranscriptKey,
} from '../../lib/ticks/transcript-seal.ts';

const vault: TranscriptKey = { kind: 'vault', key: randomBytes(32) };
const part = [{ type: 'tool_use', id: 'toolu_1', name: 'note_create', input: { body: 'a secret body' } }];

test('a sealed part holds no plaintext and opens with its key', () => {
  const sealed = sealTranscriptPart(vault, part);
  assert.ok(isSealedPart(sealed));
  assert.equal(JSON.stringify(sealed).includes('secret'), false);
  assert.deepEqual(openTranscriptPart(sealed, vault), { state: 'open', content: part });
});

test('a part written before sealing reads as plaintext; one sealed with another kind of key is withheld', () => {
  assert.deepEqual(openTranscriptPart(part, vault), { state: 'plaintext', content: part });
  const persona = personaTranscriptKey('seed-secret-of-at-least-16', 'zed@personas.test');
  const opened = openTranscriptPart(sealTranscriptPart(persona, part), vault);
  assert.equal(opened.state, 'withheld');
  assert.equal(openTranscriptPart(sealTranscriptPart(vault, part), undefined).state, 'withheld');
});

test('a wrong key or a tampered part fails loudly, never returns garbage', () => {
  const sealed = sealTranscriptPart(vault, part);
  assert.throws(() => openTranscriptPart(sealed, { kind: 'vault', key: randomBytes(32) }), DecryptionError);
  const [ivB64, ctB64] = sealed.sealed.slice('enc:1:'.length).split('.');
  const ct = Buffer.from(ctB64!, 'base64');
  ct[0]! ^= 1;
  const tampered = { ...sealed, sealed: `enc:1:${ivB64}.${ct.toString('base64')}` };
  assert.throws(() => openTranscriptPart(tampered, vault), DecryptionError);
});

test('a zero-knowledge persona’s key is derived, stable, and differs per persona and per secret', () => {
  const a = personaTranscriptKey('seed-secret-of-at-least-16', 'zed@personas.test');
  assert.deepEqual(a, personaTranscriptKey('seed-secret-of-at-least-16', ' Zed@Personas.test '));
  assert.notDeepEqual(a.key, personaTranscriptKey('seed-secret-of-at-least-16', 'amy@personas.test').key);
  assert.notDeepEqual(a.key, personaTranscriptKey('another-secret-of-16+', 'zed@personas.test').key);
});
