import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decryptValue, ENC_PREFIX } from '../../lib/demo-product/aes-gcm.ts';
import { loadMasterKey } from '../../lib/demo-product/vault.ts';
import { textOf } from '../support/tool-results.ts';
import { startTestGateway } from '../support/gateway.ts';

const gw = await startTestGateway();
const pool = gw.database.pool;
const WIRE = /^enc:1:[A-Za-z0-9+/]+=*\.[A-Za-z0-9+/]+=*$/;

describe('field encryption at rest', () => {
  test('a note body is stored as enc:1: ciphertext under the user key and returned decrypted', async () => {
    const me = await gw.tokenFor({ email: 'enc-notes@example.com' });
    const client = await gw.client(me.token);
    const body = 'My bank PIN hint: the year grandpa was born.';
    const res = await client.callTool({ name: 'note_create', arguments: { title: 'Secrets', body } });
    assert.equal(res.isError, undefined, textOf(res));
    const { note } = res.structuredContent as { note: { id: string; body: string; title: string } };
    assert.equal(note.body, body);

    const stored = (await pool.query('SELECT title, body FROM notes WHERE id = $1', [note.id])).rows[0];
    assert.match(stored.body, WIRE);
    assert.ok(!stored.body.includes('grandpa'));
    assert.equal(stored.title, 'Secrets', 'titles are not in the encryption registry: plaintext');

    // The ciphertext opens with this user's master key, and only with it.
    const mk = await loadMasterKey(gw.database.db, gw.app.kek, me.userId);
    assert.ok(mk);
    assert.equal(decryptValue(mk, stored.body), body);
    const other = await gw.tokenFor({ email: 'enc-other@example.com' });
    const otherMk = await loadMasterKey(gw.database.db, gw.app.kek, other.userId);
    assert.throws(() => decryptValue(otherMk!, stored.body), /authentication failed/);

    const found = await client.callTool({ name: 'note_search', arguments: { query: 'grandpa' } });
    const hits = (found.structuredContent as { notes: { id: string; snippet: string }[] }).notes;
    assert.equal(hits[0]?.id, note.id);
    assert.match(hits[0]!.snippet, /grandpa/);
  });

  test('the same body twice gives two different ciphertexts (fresh IV per value)', async () => {
    const me = await gw.tokenFor({ email: 'enc-iv@example.com' });
    const client = await gw.client(me.token);
    for (let i = 0; i < 2; i++) {
      const res = await client.callTool({
        name: 'note_create',
        arguments: { title: 't', body: 'same body' },
      });
      assert.equal(res.isError, undefined, textOf(res));
    }
    const rows = (await pool.query('SELECT body FROM notes WHERE user_id = $1', [me.userId])).rows;
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.body.startsWith(ENC_PREFIX)));
    assert.notEqual(rows[0].body, rows[1].body);
  });

  test('a journal body is stored as enc:1: ciphertext and returned decrypted', async () => {
    const me = await gw.tokenFor({ email: 'enc-journal@example.com' });
    const client = await gw.client(me.token);
    const body = 'Felt anxious about the biopsy results.';
    const res = await client.callTool({ name: 'journal_add', arguments: { body, mood: 2 } });
    assert.equal(res.isError, undefined, textOf(res));
    const { entry } = res.structuredContent as { entry: { id: string; body: string } };
    assert.equal(entry.body, body);
    const stored = (await pool.query('SELECT body, mood FROM journal_entries WHERE id = $1', [entry.id]))
      .rows[0];
    assert.match(stored.body, WIRE);
    assert.ok(!stored.body.includes('biopsy'));
    assert.equal(stored.mood, 2);
    const mk = await loadMasterKey(gw.database.db, gw.app.kek, me.userId);
    assert.equal(decryptValue(mk!, stored.body), body);
  });
});

describe('zero-knowledge accounts', () => {
  test('note_create and journal_add are refused with a zero-knowledge message and write nothing', async () => {
    const zk = await gw.tokenFor({ email: 'zk@example.com', zeroKnowledge: true });
    const vault = (
      await pool.query('SELECT wrapped_key, zero_knowledge FROM vault_keys WHERE user_id = $1', [zk.userId])
    ).rows[0];
    assert.deepEqual(vault, { wrapped_key: null, zero_knowledge: true });
    const client = await gw.client(zk.token);

    const note = await client.callTool({ name: 'note_create', arguments: { title: 'x', body: 'y' } });
    assert.equal(note.isError, true);
    assert.equal(note._meta?.errorCode, 'ZERO_KNOWLEDGE');
    assert.equal(note._meta?.errorClass, 'persona');
    assert.match(
      textOf(note),
      /this account is zero-knowledge: the server holds no key .* encrypted notes data/,
    );
    assert.match(textOf(note), /habits, todos/, 'the message points at modules that do work');

    const journal = await client.callTool({ name: 'journal_add', arguments: { body: 'dear diary' } });
    assert.equal(journal.isError, true);
    assert.match(textOf(journal), /zero-knowledge.*journal_entries/);

    const rows = await pool.query(
      'SELECT (SELECT count(*) FROM notes WHERE user_id = $1) + (SELECT count(*) FROM journal_entries WHERE user_id = $1) AS n',
      [zk.userId],
    );
    assert.equal(Number(rows.rows[0].n), 0);
  });

  test('a zero-knowledge user can still use modules without encrypted fields', async () => {
    const zk = await gw.tokenFor({ email: 'zk-todos@example.com', zeroKnowledge: true });
    const client = await gw.client(zk.token);
    const res = await client.callTool({ name: 'todo_create', arguments: { title: 'plain todo' } });
    assert.equal(res.isError, undefined, textOf(res));
    const { todo } = res.structuredContent as { todo: { id: string; title: string } };
    assert.equal(todo.title, 'plain todo');
    assert.equal(
      (await pool.query('SELECT title FROM todos WHERE id = $1', [todo.id])).rows[0].title,
      'plain todo',
    );
    const habit = await client.callTool({ name: 'habit_create', arguments: { name: 'walk' } });
    assert.equal(habit.isError, undefined, textOf(habit));
  });
});
