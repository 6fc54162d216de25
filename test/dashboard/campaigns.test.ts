import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startCampaign } from '../../lib/campaigns/start-campaign.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { renderComparePage } from '../../dashboard/compare-page.ts';
import { startDashboard } from '../../dashboard/server.ts';
import { compareCampaigns } from '../../lib/verdicts/compare.ts';
import { lowerModule, syntheticCampaign } from '../support/synthetic-campaign.ts';
import { startTickEnv } from '../support/tick-env.ts';

const env = await startTickEnv();
const personas = await livePersonas(env.gw.database.db);
const run = async (label: string) => {
  const h = await startCampaign(env.client, {
    label,
    personas,
    taskQueue: env.taskQueue,
    trials: 2,
    concurrency: 2,
  });
  await h.result();
  return h.workflowId;
};
const base = await run('base');
const cand = await run('cand');
const dashboard = await startDashboard({ db: env.gw.database.db, port: 0, host: '127.0.0.1' });
after(() => dashboard.close());
const get = async (path: string) => {
  const r = await fetch(`${dashboard.url}${path}`);
  return { status: r.status, body: await r.text() };
};

test('/campaigns lists campaigns with links to their ticks and a compare form', async () => {
  const r = await get('/campaigns');
  assert.equal(r.status, 200);
  assert.match(r.body, />base</);
  assert.match(r.body, />cand</);
  assert.ok(r.body.includes(`href="/ticks?campaign=${base}"`));
  assert.match(r.body, /<form class="filters" method="get" action="\/compare">/);
});

test('/compare shows the verdicts with links to the ticks behind each row', async () => {
  const r = await get(`/compare?baseline=base&candidate=${cand}`);
  assert.equal(r.status, 200, r.body);
  assert.match(r.body, /No regression/);
  assert.match(r.body, /paired by persona and trial seed/);
  assert.match(r.body, /<td>todos<\/td>|<td>notes<\/td>/);
  assert.match(r.body, /<th>difference \[95 %\]<\/th><th>verdict interval<\/th><th>detectable<\/th>/);
  assert.match(r.body, /<td>completion<\/td>/);
  assert.match(r.body, /<h2>Who got hurt<\/h2><p>Nobody/);
  assert.ok(
    r.body.includes(`/ticks?campaign=${cand}&amp;module=`),
    'module rows link to the candidate’s ticks',
  );
  assert.equal((await get(`/compare?baseline=nope&candidate=${cand}`)).status, 404);
  assert.equal((await get('/compare?baseline=base')).status, 400);
});

test('/ticks?campaign= shows only that campaign’s ticks', async () => {
  const r = await get(`/ticks?campaign=${encodeURIComponent(base)}`);
  assert.equal(r.status, 200);
  assert.ok(r.body.includes(`${base}-`), 'the campaign’s ticks');
  assert.ok(!r.body.includes(`${cand}-`), 'not the other campaign’s');
  assert.equal((await get('/ticks?campaign=%3Cscript%3E')).status, 400);
});

test('/compare page: the verdict interval and detectable effect per row, and who got hurt, linked to their ticks', () => {
  const o = { personas: 11, trials: 3, seedBase: 'day', noise: 'replay' };
  const c = compareCampaigns(
    syntheticCampaign('base', o),
    syntheticCampaign('cand', { ...o, change: lowerModule('todos', 3, (p) => p < 3) }),
  );
  const page = renderComparePage(c);
  assert.ok(c.hurt.length > 0);
  for (const h of c.hurt) assert.ok(page.includes(`${h.name} (${h.archetype}): todos −`), `${h.name} listed`);
  assert.match(page, /<a href="\/ticks\?campaign=cand&amp;module=todos">Persona \d/);
  assert.match(page, /at \d+\.\d\d %<\/td><td>[^<]*★/);
});
