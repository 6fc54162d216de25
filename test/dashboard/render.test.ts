import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketsFor, normalizeDays, type DashboardData } from '../../dashboard/queries.ts';
import { escapeHtml, renderDashboard, temporalWorkflowUrl } from '../../dashboard/render.ts';

const errors = { persona: 0, product: 0, policy: 0, infra: 0, unclassified: 0 };
const data = (over: Partial<DashboardData> = {}): DashboardData => ({
  generatedAt: '2025-03-04T12:00:00.000Z',
  range: {
    days: 3,
    bucket: 'day',
    since: '2025-03-02T00:00:00.000Z',
    until: '2025-03-04T12:00:00.000Z',
    buckets: ['2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z'],
  },
  ratings: [],
  goals: [],
  hotspots: [],
  recentTicks: [],
  recentNotes: [],
  totals: {
    personas: 0,
    pausedPersonas: 0,
    ticks: 0,
    ticksByStatus: {},
    actions: 0,
    actionErrors: 0,
    errorRate: 0,
    errorsByClass: errors,
    ratings: 0,
    averageRating: null,
    parseFailures: 0,
    tokens: { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
    costUsd: 0,
  },
  ...over,
});

describe('dashboard rendering (no database)', () => {
  test('escapeHtml escapes the five HTML metacharacters and stringifies anything', () => {
    assert.equal(
      escapeHtml(`<a href="x" onclick='y'>&</a>`),
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    assert.equal(escapeHtml(null), '');
    assert.equal(escapeHtml(undefined), '');
    assert.equal(escapeHtml(42), '42');
    assert.equal(
      escapeHtml('&amp;'),
      '&amp;amp;',
      'escaping is not idempotent: values are escaped once, at output',
    );
  });

  test('temporalWorkflowUrl: the Web UI path, trailing slashes trimmed, ids encoded, only http(s)', () => {
    assert.equal(
      temporalWorkflowUrl('http://localhost:8233', 'default', 'tick-1'),
      'http://localhost:8233/namespaces/default/workflows/tick-1',
    );
    assert.equal(
      temporalWorkflowUrl('https://ui.example.com/base//', 'team ns', 'tick-x-2025-01-01T00:00:00Z'),
      'https://ui.example.com/base/namespaces/team%20ns/workflows/tick-x-2025-01-01T00:00:00Z',
    );
    assert.equal(
      temporalWorkflowUrl('http://ui', 'default', 'a/b?c#d'),
      'http://ui/namespaces/default/workflows/a%2Fb%3Fc%23d',
    );
    assert.equal(temporalWorkflowUrl(undefined, 'default', 'tick-1'), undefined);
    assert.equal(temporalWorkflowUrl('javascript:alert(1)//', 'default', 'tick-1'), undefined);
  });

  test('normalizeDays and bucketsFor: whole days, hourly for short ranges, today included', () => {
    assert.equal(normalizeDays(undefined), 14);
    assert.equal(normalizeDays('7'), 7);
    assert.equal(normalizeDays('0'), 1);
    assert.equal(normalizeDays('100000'), 366);
    assert.equal(normalizeDays('abc', 5), 5);
    const now = new Date('2025-03-04T12:34:56Z');
    const d = bucketsFor(3, now);
    assert.equal(d.bucket, 'day');
    assert.deepEqual(d.buckets, [
      '2025-03-02T00:00:00.000Z',
      '2025-03-03T00:00:00.000Z',
      '2025-03-04T00:00:00.000Z',
    ]);
    assert.equal(d.since.toISOString(), '2025-03-02T00:00:00.000Z');
    const h = bucketsFor(1, now);
    assert.equal(h.bucket, 'hour');
    assert.equal(h.buckets.length, 24);
    assert.equal(h.buckets[0], '2025-03-03T13:00:00.000Z');
    assert.equal(h.buckets.at(-1), '2025-03-04T12:00:00.000Z');
  });

  test('a full page: self-contained, escaped everywhere, a legend per module', () => {
    const evil = `<script>alert("x")</script>`;
    const page = renderDashboard(
      data({
        ratings: [
          {
            module: evil,
            mean: 3,
            n: 2,
            points: [
              { bucket: '2025-03-02T00:00:00.000Z', mean: 2, n: 1 },
              { bucket: '2025-03-04T00:00:00.000Z', mean: 4, n: 1 },
            ],
          },
          {
            module: 'todos',
            mean: 5,
            n: 1,
            points: [{ bucket: '2025-03-03T00:00:00.000Z', mean: 5, n: 1 }],
          },
        ],
        hotspots: [
          {
            tool: evil,
            calls: 4,
            errors: 2,
            errorRate: 0.5,
            errorsByClass: { ...errors, product: 1, infra: 1 },
            p50LatencyMs: 12,
            p95LatencyMs: 1500,
          },
        ],
        recentTicks: [
          {
            id: 't1',
            workflowId: `wf-"${evil}`,
            personaId: evil,
            runId: null,
            email: 'e@personas.test',
            displayName: evil,
            archetype: evil,
            status: 'failed',
            endReason: evil,
            failure: evil,
            ratingError: null,
            provider: 'scripted',
            model: null,
            rounds: 1,
            toolCalls: 4,
            errors: 2,
            tokens: { input: 1, output: 2, cacheWrite: 3, cacheRead: 4, total: 10 },
            costUsd: 0,
            historyEvents: null,
            historyBytes: null,
            historyKb: null,
            averageRating: null,
            startedAt: '2025-03-04T11:00:00.000Z',
            endedAt: null,
            durationMs: null,
          },
        ],
        recentNotes: [
          {
            tickId: 't1',
            workflowId: 'wf',
            email: 'e@personas.test',
            displayName: evil,
            module: evil,
            rating: 2,
            notes: evil,
            createdAt: '2025-03-04T11:00:00.000Z',
          },
        ],
      }),
      { temporalUiUrl: 'http://localhost:8233', namespace: 'default', refreshSeconds: 30 },
    );
    assert.ok(!/<script/i.test(page), 'nothing executable');
    assert.ok(!page.includes(`"${evil}`));
    assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(
      page.includes(
        `href="http://localhost:8233/namespaces/default/workflows/wf-%22%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E"`,
      ),
    );
    assert.match(page, /<meta http-equiv="refresh" content="30">/);
    assert.ok(!/<link\b|\bsrc=/i.test(page), 'no external assets');
    assert.match(page, /^<!doctype html>/);
    assert.equal((page.match(/<g data-module=/g) ?? []).length, 2);
    assert.equal((page.match(/<polyline/g) ?? []).length, 1);
    assert.match(page, /<b class="err">2<\/b> \/ 4 calls · 50% · p50 12 ms · p95 1\.5 s/);
  });

  test('an empty page says what to do next', () => {
    const page = renderDashboard(data(), { refreshSeconds: 0 });
    assert.match(page, /No ticks yet: run <code>personas tick &lt;persona&gt;<\/code>/);
    assert.ok(!page.includes('http-equiv="refresh"'));
    assert.ok(!page.includes('Temporal Web UI</a>'));
  });
});
