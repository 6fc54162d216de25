import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { memoryProduct, scratchDir, writeProducts } from '../support/products.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';

// A product's error rules reach the record: the action a rule classed carries the rule's name in
// persona_actions.error_rule, through the gateway's `_meta.errorRule`, the tick and persist.
test("an upstream error a product's rule calls the persona's is recorded with that rule", async () => {
  const dir = await scratchDir();
  const products = await writeProducts(dir, {
    products: [
      memoryProduct(path.join(dir, 'memory.jsonl'), {
        errors: { product: ['database'], persona: ['not found$'] },
      }),
    ],
  });
  const { env } = await startClaudeTickEnv({
    apiKey: 'sk-ant-test-error-rule',
    gatewayEnv: { PERSONA_PRODUCTS: products, PERSONA_DATA_DIR: dir },
    persona: { moduleMix: { memory: 1 } },
    script: [
      toolTurn(
        toolUse('toolu_slip', 'memory__add_observations', {
          observations: [{ entityName: 'Nobody', contents: ['called twice'] }],
        }),
        toolUse('toolu_ok', 'memory__read_graph', {}),
      ),
      endTurn(),
      ratingTurn({ memory: 3 }),
    ],
  });
  const handle = await env.start();
  assert.equal((await handle.result()).status, 'completed');
  const actions = await env.query<{
    tool_use_id: string;
    error_class: string | null;
    error_rule: string | null;
  }>('SELECT tool_use_id, error_class, error_rule FROM persona_actions WHERE tick_id = $1 ORDER BY seq', [
    handle.workflowId,
  ]);
  assert.deepEqual(
    actions.map((a) => [a.tool_use_id, a.error_class, a.error_rule]),
    [
      ['toolu_slip', 'persona', 'errors.persona[0] not found$'],
      ['toolu_ok', null, null],
    ],
  );
});
