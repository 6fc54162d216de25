import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import { AesGcmPayloadCodec } from '../../workers/payload-codec.ts';
import { runCli } from '../support/cli.ts';
import { historyToJson } from '../support/history-json.ts';
import { startTickEnv } from '../support/tick-env.ts';

const key = randomBytes(32);
const codec = new AesGcmPayloadCodec(key);
const env = await startTickEnv({ dataConverter: { payloadCodecs: [codec] } });

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

/**
 * Every payload in a JSON history, split by whether it is a search attribute (indexed, never
 * encoded), the details of a `patched()` marker, or the bookkeeping (`data`) of a local activity's
 * marker — the last two written by the SDK's core without the codec. A local activity's result is in
 * the same marker's `result` detail and goes through the codec like any other.
 */
function payloadsOf(history: unknown): {
  encoded: JsonPayload[];
  searchAttributes: JsonPayload[];
  patchMarkers: JsonPayload[];
  localActivityData: JsonPayload[];
} {
  const out = {
    encoded: [] as JsonPayload[],
    searchAttributes: [] as JsonPayload[],
    patchMarkers: [] as JsonPayload[],
    localActivityData: [] as JsonPayload[],
  };
  type Where = keyof typeof out;
  const visit = (v: unknown, where: Where): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, where));
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in o.metadata) {
      out[where].push(o as JsonPayload);
      return;
    }
    const marker = (o.markerRecordedEventAttributes as { markerName?: string } | undefined)?.markerName;
    if (marker === 'core_local_activity') {
      const { details, ...rest } = o.markerRecordedEventAttributes as { details?: Record<string, unknown> };
      const { data, ...others } = details ?? {};
      visit(data, 'localActivityData');
      visit(others, where);
      visit(rest, where);
      return;
    }
    for (const [k, x] of Object.entries(o))
      visit(
        x,
        k === 'searchAttributes' ? 'searchAttributes' : marker === 'core_patch' ? 'patchMarkers' : where,
      );
  };
  visit(history, 'encoded');
  return out;
}

test('with the payload codec on, history holds only ciphertext; a client without the key cannot read it', async () => {
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(result.status, 'completed', 'the worker and the client (same codec) decode each other');
  assert.ok(result.actions > 0);

  // A client without the codec sees what Temporal stores.
  const plain = new Client({ connection: env.client.connection });
  const stored = plain.workflow.getHandle(handle.workflowId);
  const history = JSON.parse(historyToJson(await stored.fetchHistory())) as { events: unknown[] };
  const { encoded, searchAttributes, patchMarkers, localActivityData } = payloadsOf(history);
  // A local activity's bookkeeping: its sequence number, attempt, type and times — never tick data.
  for (const p of localActivityData) {
    const keys = Object.keys(JSON.parse(text(p.data)) as object);
    assert.ok(
      keys.every((k) =>
        [
          'seq',
          'attempt',
          'activity_id',
          'activity_type',
          'complete_time',
          'backoff',
          'original_schedule_time',
        ].includes(k),
      ),
      text(p.data),
    );
    assert.equal(text(p.data).includes(env.personaId), false);
  }
  // A patch marker carries only the patch id and a flag: constants of the code, never tick data.
  for (const p of patchMarkers)
    assert.deepEqual(
      Object.keys(JSON.parse(text(p.data)) as object).sort(),
      ['deprecated', 'id'],
      text(p.data),
    );
  assert.equal(
    patchMarkers
      .map((p) => text(p.data))
      .join()
      .includes(env.personaId),
    false,
  );

  // Workflow input and result, every activity input and result, the memo: all encrypted.
  assert.ok(encoded.length >= 2 * 5, `expected the tick's payloads, found ${encoded.length}`);
  for (const p of encoded) {
    assert.equal(p.metadata?.encoding, b64('binary/encrypted'), `unencrypted payload: ${JSON.stringify(p)}`);
    assert.equal(p.metadata?.['encryption-cipher'], b64('AES-256-GCM'));
  }
  // The persona id is nowhere in history, raw or base64-decoded, except in the search attributes,
  // which Temporal must index in plaintext (so the Web UI can filter ticks by persona).
  const withoutSearchAttributes = JSON.stringify(history, (k, v: unknown) =>
    k === 'searchAttributes' ? undefined : v,
  );
  const decodedData = encoded.map((p) => text(p.data)).join('\n');
  assert.equal(withoutSearchAttributes.includes(env.personaId), false, 'persona id in plaintext history');
  assert.equal(decodedData.includes(env.personaId), false, 'persona id in a payload’s base64 data');
  assert.ok(
    searchAttributes.some((p) => text(p.data).includes(env.personaId)),
    'PersonaId search attribute',
  );
  await assert.rejects(stored.result(), /binary\/encrypted/, 'a client without the codec cannot decode');

  // The same payloads decrypt with the key: the workflow input carries the persona id.
  const started = (
    history.events[0] as { workflowExecutionStartedEventAttributes: { input: { payloads: JsonPayload[] } } }
  ).workflowExecutionStartedEventAttributes.input.payloads;
  const [input] = await codec.decode(
    started.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
      ),
      data: Buffer.from(p.data ?? '', 'base64'),
    })),
  );
  assert.equal(Buffer.from(input!.metadata!.encoding!).toString(), 'json/plain');
  assert.equal(JSON.parse(Buffer.from(input!.data!).toString()).personaId, env.personaId);
});

test('personas replay: an encrypted history needs PAYLOAD_CODEC_KEY (said, not hung); with the key it replays', async () => {
  const handle = await env.start();
  await handle.result();
  const replay = async (extra: Record<string, string> = {}) => {
    const r = await runCli(['replay', '--workflow', handle.workflowId, '--json'], extra);
    return {
      ...r,
      report: JSON.parse(r.stdout || '{}') as { outcomes?: Array<{ ok: boolean; message?: string }> },
    };
  };
  const without = await replay();
  assert.equal(without.code, 1, without.stderr);
  assert.equal(without.report.outcomes?.[0]?.ok, false);
  assert.match(without.report.outcomes?.[0]?.message ?? '', /PAYLOAD_CODEC_KEY/);

  const withKey = await replay({ PAYLOAD_CODEC_KEY: key.toString('base64') });
  assert.equal(withKey.code, 0, withKey.stderr + withKey.stdout);
  assert.equal(withKey.report.outcomes?.[0]?.ok, true);
});
