// What the product encrypts (note and journal bodies) is never stored in plaintext anywhere else:
// not in the transcript, the action summaries, the idempotency results, nor workflow history. Each
// test writes known bodies through every tool with encrypted fields, then searches every text,
// varchar, json, jsonb and array column of every table for them.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { decryptValue } from '../../lib/demo-product/aes-gcm.ts';
import { loadMasterKey } from '../../lib/demo-product/vault.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import {
  isSealedPart,
  openTranscriptPart,
  personaTranscriptKey,
  vaultTranscriptKey,
} from '../../lib/ticks/transcript-seal.ts';
import { TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { endTurn, ratingTurn, textBlock, toolTurn, toolUse } from '../support/fake-steps.ts';
import { plaintextHits, searchableHistory } from '../support/plaintext-scan.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { structuredOf, textOf } from '../support/tool-results.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

const { fake, env } = await startClaudeTickEnv({ persona: { moduleMix: { notes: 0.5, journal: 0.5 } } });
const pool = env.gw.database.pool;
const kek = TEST_KEK;
/** A word that appears nowhere but in the body written with it. */
const marker = (word: string) => `${word}${randomUUID().slice(0, 8)}`;

const userOf = async (personaId: string) =>
  (await env.query<{ user_id: string }>('SELECT user_id FROM personas WHERE id = $1', [personaId]))[0]!
    .user_id;
const transcriptOf = (tickId: string) =>
  env.query<{ part: string; content: unknown }>(
    'SELECT part, content FROM persona_transcript WHERE tick_id = $1 ORDER BY round, part, part_key',
    [tickId],
  );

async function assertNowhereInPlaintext(needles: string[], ticks: WorkflowHandle[] = []): Promise<void> {
  for (const needle of needles) {
    assert.deepEqual(await plaintextHits(pool, needle), [], `"${needle}" is stored in plaintext`);
    for (const tick of ticks) {
      const history = searchableHistory(await tick.fetchHistory());
      assert.equal(history.includes(needle), false, `"${needle}" is in the history of ${tick.workflowId}`);
    }
  }
}

test('a tick through the real Anthropic SDK: bodies, snippets and the model’s own words about them are sealed', async () => {
  const heron = marker('heron');
  const owl = marker('owl');
  const noteBody = `Saw a grey ${heron} at the pond; told nobody.`;
  const journalBody = `Slept badly, dreamt of an ${owl} again.`;
  const before = fake.requests.length;
  fake.push(
    {
      message: {
        content: [
          textBlock(`Let me write this down: ${noteBody}`),
          toolUse('toolu_note', 'note_create', { title: 'Pond', body: noteBody }),
          toolUse('toolu_journal', 'journal_add', { body: journalBody, mood: 2 }),
        ],
        stop_reason: 'tool_use',
      },
    },
    toolTurn(toolUse('toolu_search', 'note_search', { query: heron })),
    endTurn('A good day.'),
    ratingTurn({ journal: { rating: 4, notes: 'calm' }, notes: { rating: 5, notes: 'found it again' } }),
  );
  const handle = await env.start();
  const result = await handle.result();
  assert.equal(fake.remaining, 0, 'the tick made every scripted call');
  assert.equal(result.status, 'completed');

  // The controls: the bodies went through. The product holds them (encrypted), the next model calls
  // got the conversation back from the sealed transcript, and the search returned the note's body.
  const mk = (await loadMasterKey(env.gw.database.db, kek, await userOf(env.personaId)))!;
  const [note] = await env.query<{ body: string }>('SELECT body FROM notes WHERE title = $1', ['Pond']);
  assert.equal(decryptValue(mk, note!.body), noteBody);
  const second = JSON.stringify(fake.requests[before + 1]!.body.messages);
  assert.ok(
    second.includes(noteBody) && second.includes(journalBody),
    'conversation rebuilt from the transcript',
  );
  const third = JSON.stringify(fake.requests[before + 2]!.body.messages.at(-1));
  assert.ok(third.includes(heron), 'the search result (a snippet of the body) reached the model');

  await assertNowhereInPlaintext([heron, owl], [handle]);

  // Summaries say what happened, not what the result held.
  const actions = await env.query<{ tool_name: string; outcome: string; result_summary: string }>(
    'SELECT tool_name, outcome, result_summary FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [handle.workflowId],
  );
  assert.deepEqual(
    actions.map((a) => [a.tool_name, a.outcome]),
    [
      ['note_create', 'ok'],
      ['journal_add', 'ok'],
      ['note_search', 'ok'],
    ],
  );
  for (const a of actions) assert.match(a.result_summary, /^ok; result withheld: /);

  // Every part is sealed, and the dashboard's way in (the persona's vault key) opens them.
  const parts = await transcriptOf(handle.workflowId);
  assert.equal(parts.length, 8, 'the opening, three assistant turns, three tool results, the rating');
  assert.ok(parts.every((p) => isSealedPart(p.content)));
  const vaultKey = await vaultTranscriptKey(env.gw.database.db, kek, await userOf(env.personaId));
  const opened = parts.map((p) => openTranscriptPart(p.content, vaultKey));
  assert.ok(opened.every((o) => o.state === 'open'));
  assert.ok(JSON.stringify(opened).includes(noteBody));
});

test('a scripted tick: every body it wrote is sealed everywhere but where the product decrypts it', async () => {
  await env.stopWorker();
  await env.startWorker({}); // the default provider: the offline scripted persona
  try {
    const handle = await env.start({}, 'tick-sealed-at-rest-scripted');
    assert.equal((await handle.result()).status, 'completed');
    const mk = (await loadMasterKey(env.gw.database.db, kek, await userOf(env.personaId)))!;
    const stored = await env.query<{ body: string }>(
      `SELECT body FROM notes WHERE created_at >= (SELECT started_at FROM persona_ticks WHERE id = $1)
       UNION ALL
       SELECT body FROM journal_entries WHERE created_at >= (SELECT started_at FROM persona_ticks WHERE id = $1)`,
      [handle.workflowId],
    );
    const bodies = [...new Set(stored.map((r) => decryptValue(mk, r.body)))];
    assert.ok(bodies.length >= 1, 'the scripted persona wrote at least one note or journal body');
    await assertNowhereInPlaintext(bodies, [handle]);
  } finally {
    await env.stopWorker();
    await env.startWorker();
  }
});

test('direct idempotent calls: stored results are sealed with the user’s key, and replays still return them', async () => {
  const user = await env.gw.tokenFor({ email: 'sealed-direct@example.com' });
  const client = await env.gw.client(user.token);
  const lark = marker('lark');
  const calls = [
    ['note_create', { title: 'Birds', body: `A ${lark} sang before dawn.` }],
    ['journal_add', { body: `Heard the ${lark} again today.`, mood: 5 }],
    ['note_search', { query: lark }],
  ] as const;
  for (const [name, args] of calls) {
    const call = () =>
      client.callTool({ name, arguments: { ...args }, _meta: { idempotencyKey: `sealed-${name}` } });
    const first = await call();
    assert.equal(first.isError, undefined, textOf(first));
    assert.ok(textOf(first).includes(lark), `${name} returns the plaintext to its caller`);
    const replay = await call();
    assert.equal(replay._meta?.idempotentReplay, true);
    assert.deepEqual(structuredOf(replay), structuredOf(first));
  }
  const stored = await env.query<{ tool_name: string; result: Record<string, unknown> }>(
    'SELECT tool_name, result FROM tool_idempotency WHERE user_id = $1',
    [user.userId],
  );
  assert.equal(stored.length, 3);
  for (const s of stored) assert.deepEqual(Object.keys(s.result), ['sealed'], s.tool_name);
  // A result without encrypted fields is stored as it is (nothing to protect: the product stores it so).
  await client.callTool({
    name: 'todo_create',
    arguments: { title: 'Plain' },
    _meta: { idempotencyKey: 't' },
  });
  const [todo] = await env.query<{ result: { todo: { title: string } } }>(
    "SELECT result FROM tool_idempotency WHERE user_id = $1 AND key = 't'",
    [user.userId],
  );
  assert.equal(todo!.result.todo.title, 'Plain');

  await assertNowhereInPlaintext([lark]);
});

test('a zero-knowledge persona: parts are sealed with its client-side key, withheld from the server', async () => {
  const email = 'zed-sealed@personas.test';
  const { personaId } = await upsertPersona(env.gw.database.db, kek, TEST_SEED_SECRET, {
    ...DEFAULT_PERSONA,
    email,
    displayName: 'Zed',
  });
  await pool.query(
    'UPDATE vault_keys SET wrapped_key = NULL, zero_knowledge = true WHERE user_id = (SELECT user_id FROM personas WHERE id = $1)',
    [personaId],
  );
  const wren = marker('wren');
  const body = `The ${wren} is back in the hedge.`;
  const before = fake.requests.length;
  fake.push(
    toolTurn(toolUse('toolu_zk', 'note_create', { title: 'Hedge', body })),
    endTurn(),
    ratingTurn({ notes: { rating: 2, notes: 'could not save anything' } }),
  );
  const handle = await env.client.workflow.start(TICK_WORKFLOW, {
    taskQueue: env.taskQueue,
    workflowId: `tick-zk-${randomUUID()}`,
    args: [{ personaId }],
  });
  assert.equal((await handle.result()).status, 'completed');
  assert.equal(fake.remaining, 0);
  const [action] = await env.query<{ error_class: string; result_summary: string }>(
    'SELECT error_class, result_summary FROM persona_actions WHERE tick_id = $1',
    [handle.workflowId],
  );
  assert.equal(action!.error_class, 'persona');
  assert.match(action!.result_summary, /zero-knowledge/);
  assert.ok(
    JSON.stringify(fake.requests[before + 1]!.body.messages).includes(body),
    'the worker reopened its parts',
  );

  const parts = await transcriptOf(handle.workflowId);
  assert.ok(parts.length >= 3);
  for (const p of parts) {
    // The server side (no vault key exists) sees nothing; the persona's own key opens the part.
    const server = openTranscriptPart(
      p.content,
      await vaultTranscriptKey(env.gw.database.db, kek, await userOf(personaId)),
    );
    assert.equal(server.state, 'withheld');
    assert.equal(openTranscriptPart(p.content, personaTranscriptKey(TEST_SEED_SECRET, email)).state, 'open');
  }
  await assertNowhereInPlaintext([wren], [handle]);
});
