// A tick that was a campaign trial says so on its page: the campaign's label, which trial of how
// many, and a link to the campaign's other ticks.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startDashboard } from '../../dashboard/server.ts';
import { startCampaign } from '../../lib/campaigns/start-campaign.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { TEST_KEK } from '../support/secrets.ts';
import { startTickEnv } from '../support/tick-env.ts';

const env = await startTickEnv();

test('the tick page of a campaign trial names the campaign, the trial and links to its ticks', async () => {
  const handle = await startCampaign(env.client, {
    label: 'release-42',
    personas: await livePersonas(env.gw.database.db),
    taskQueue: env.taskQueue,
    trials: 2,
    concurrency: 2,
  });
  const result = await handle.result();
  const [, second] = result.trials;
  assert.ok(second, JSON.stringify(result.trials));
  const dashboard = await startDashboard({
    kek: TEST_KEK,
    db: env.gw.database.db,
    port: 0,
    refreshSeconds: 0,
  });
  after(() => dashboard.close());
  const [row] = await env.query<{ id: string; trial: number }>(
    'SELECT id, trial FROM persona_ticks WHERE campaign_id = $1 AND trial = 2',
    [handle.workflowId],
  );
  assert.ok(row, 'trial 2 recorded');
  const page = await (await fetch(`${dashboard.url}/ticks/${encodeURIComponent(row.id)}`)).text();
  assert.match(
    page,
    /<dt>campaign<\/dt><dd><a href="\/ticks\?campaign=[^"]+">release-42<\/a> · trial 2\/2 · /,
  );
  const plain = await (await fetch(`${dashboard.url}/ticks/${encodeURIComponent(env.personaId)}`)).status;
  assert.equal(plain, 404, 'an unknown tick id is still a 404');
});
