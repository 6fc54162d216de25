// The dashboard's pages in a real browser (Debian chromium driven by playwright-core), with data from
// a real tick (real gateway, worker and Temporal; the Anthropic SDK against the fake Messages API):
// each page renders, every link resolves, no console errors, and everything works without JavaScript.
// SCREENSHOTS_DIR=docs/screenshots writes the README's screenshots.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDashboard } from '../../dashboard/server.ts';
import { endTurn, ratingTurn, textBlock, toolUse } from '../support/fake-steps.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { TEST_KEK } from '../support/secrets.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`;

const { fake, env } = await startClaudeTickEnv({ apiKey: 'sk-ant-test-browser' });
const SAID = 'Morning! Let me get my list in order before standup.';
// A broken product: saving a note fails inside the handler (a `product`-class error), the way a bad
// release would; completing a todo that does not exist is the persona's mistake (`persona` class).
await env.query(`CREATE FUNCTION broken_notes() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'notes storage is read-only'; END $$`);
await env.query(
  'CREATE TRIGGER broken_notes BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION broken_notes()',
);
fake.push(
  {
    message: {
      content: [
        textBlock(SAID),
        toolUse('toolu_b1', 'todo_create', { title: 'Review the pull request', priority: 'high' }),
        toolUse('toolu_b2', 'todo_complete', { todo_id: '00000000-0000-4000-8000-000000000000' }),
      ],
      stop_reason: 'tool_use',
    },
  },
  {
    message: {
      content: [toolUse('toolu_b3', 'note_create', { title: 'Standup', body: 'PR review, then the demo.' })],
      stop_reason: 'tool_use',
    },
  },
  endTurn('Good enough. Notes would not save though.'),
  ratingTurn({
    todos: { rating: 3, notes: 'I tried to complete a todo that was not there. My bad.' },
    notes: { rating: 1, notes: 'Saving a note failed outright. I lost my standup notes.' },
  }),
);
const tick = await (await env.start()).result();
assert.equal(fake.exhausted, false);
const kek = TEST_KEK;
const dashboard = await startDashboard({
  kek,
  db: env.gw.database.db,
  port: 0,
  temporalUiUrl: 'http://localhost:8233',
  namespace: 'default',
  refreshSeconds: 0,
});
after(() => dashboard.close());

let browser: Browser | undefined;
after(() => browser?.close());
const shots = process.env.SCREENSHOTS_DIR ?? (await mkdtemp(path.join(tmpdir(), 'dashboard-shots-')));
await mkdir(shots, { recursive: true });

async function open(page: Page, pathname: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const res = await page.goto(`${dashboard.url}${pathname}`);
  assert.equal(res?.status(), 200, pathname);
  return problems;
}

/** Every same-origin link on the page answers 200; links into the Web UI point at the tick. */
async function assertLinksResolve(page: Page): Promise<number> {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  const absolute = hrefs.map((href) => new URL(href, page.url()).toString());
  const local = [...new Set(absolute.filter((u) => u.startsWith(dashboard.url)))];
  for (const u of local) {
    const r = await fetch(u);
    assert.equal(r.status, 200, `${u} from ${page.url()}`);
  }
  return local.length;
}

async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return browser;
}

test(
  'the tick page tells the persona’s day: words, calls, answers, classes, latency, ratings',
  { skip },
  async () => {
    const page = await (await launch()).newPage({ viewport: { width: 1280, height: 900 } });
    const problems = await open(page, `/ticks/${encodeURIComponent(tick.tickId)}`);
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(SAID), 'the persona’s own words');
    for (const name of ['todo_create', 'todo_complete', 'note_create']) assert.ok(text.includes(name), name);
    assert.ok(text.includes('Review the pull request'), 'the arguments');
    const failed = page.locator('.call.error');
    assert.equal(await failed.count(), 2, 'todo_complete of a missing todo (persona), note_create (product)');
    assert.deepEqual((await page.locator('.call.error .cls').allInnerTexts()).sort(), ['persona', 'product']);
    assert.match(await page.locator('#call-toolu_b1 .head').innerText(), /\d+ ms/, 'latency per call');
    assert.ok(text.includes('Saving a note failed outright'), 'rating notes');
    assert.equal(await page.locator('.stars').count(), 2);
    // The day prompt the persona was given (opened from the sealed transcript), behind a summary.
    const dayPrompt = page.locator('details', { hasText: 'day prompt' });
    assert.match((await dayPrompt.locator('.said').textContent()) ?? '', /Live this part of your day/);
    const ui = await page.locator('a', { hasText: tick.tickId }).first().getAttribute('href');
    assert.equal(
      ui,
      `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(tick.tickId).replace(/%3A/gi, ':')}`,
    );
    assert.ok((await assertLinksResolve(page)) >= 3);
    await page.screenshot({ path: path.join(shots, 'tick.png'), fullPage: true });
    assert.deepEqual(problems, []);
  },
);

test('the persona page: ticks, ratings per module over time, recurring errors', { skip }, async () => {
  const page = await (await launch()).newPage({ viewport: { width: 1280, height: 900 } });
  const problems = await open(page, `/personas/${env.personaId}`);
  const text = await page.locator('main').innerText();
  assert.match(text, /Recurring errors/);
  assert.ok(text.includes('note_create') && text.includes('todo_complete'));
  assert.equal(await page.locator('svg.chart g[data-module]').count(), 2, 'todos and notes');
  assert.ok(await page.locator(`a[href="/ticks/${tick.tickId}"]`).count());
  await assertLinksResolve(page);
  await page.screenshot({ path: path.join(shots, 'persona.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the overview links into ticks and personas; hotspots filter the ticks list', { skip }, async () => {
  const page = await (await launch()).newPage({ viewport: { width: 1280, height: 900 } });
  const problems = await open(page, '/');
  assert.ok((await assertLinksResolve(page)) >= 5);
  await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
  await page.locator('.hot a', { hasText: 'product 1' }).click();
  assert.match(page.url(), /\/ticks\?tool=note_create&errorClass=product$/);
  assert.equal(await page.locator('main tbody tr').count(), 1);
  await page.screenshot({ path: path.join(shots, 'ticks.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('without JavaScript: the pages render and the filter form works', { skip }, async () => {
  const context = await (await launch()).newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await open(page, `/ticks/${encodeURIComponent(tick.tickId)}`);
  assert.ok((await page.locator('main').innerText()).includes(SAID));
  await open(page, '/ticks');
  await page.selectOption('select[name=errorClass]', 'persona');
  await page.locator('form.filters button').click();
  await page.waitForURL(/errorClass=persona/);
  assert.equal(await page.locator('main tbody tr').count(), 1, 'the tick with a persona-class error');
  await page.selectOption('select[name=errorClass]', 'infra');
  await page.locator('form.filters button').click();
  await page.waitForURL(/errorClass=infra/);
  assert.match(await page.locator('main').innerText(), /No ticks yet/);
  await context.close();
});

test('transcripts are sealed at rest and opened server-side only: without the KEK the page withholds them', async () => {
  const stored = await env.query<{ content: unknown }>(
    'SELECT content FROM persona_transcript WHERE tick_id = $1',
    [tick.tickId],
  );
  assert.ok(stored.length > 0);
  assert.equal(JSON.stringify(stored).includes('standup'), false, 'no plaintext in persona_transcript');
  const keyless = await startDashboard({ db: env.gw.database.db, port: 0, refreshSeconds: 0 });
  try {
    const page = await (await fetch(`${keyless.url}/ticks/${encodeURIComponent(tick.tickId)}`)).text();
    assert.match(page, /Part of this conversation is withheld: the dashboard runs without VAULT_KEK/);
    assert.equal(page.includes(SAID), false);
    const opened = await (await fetch(`${dashboard.url}/ticks/${encodeURIComponent(tick.tickId)}`)).text();
    assert.ok(opened.includes('PR review, then the demo.'), 'the KEK-holding dashboard opens it');
  } finally {
    await keyless.close();
  }
});

test('bad addresses are clear 404s / 400s, not 500s', async () => {
  for (const [p, status] of [
    ['/ticks/nope', 404],
    ['/personas/not-a-uuid', 404],
    ['/personas/00000000-0000-4000-8000-000000000000', 404],
    ['/ticks?errorClass=bogus', 400],
    ['/ticks?persona=x', 400],
  ] as const) {
    const r = await fetch(`${dashboard.url}${p}`);
    assert.equal(r.status, status, p);
  }
});
