import { ApplicationFailure } from '@temporalio/common';
import { campaigns } from '../../schema/index.ts';
import {
  CAMPAIGN_FAILURES,
  type CampaignProvenance,
  type OpenCampaignInput,
} from '../../workflows/campaign-contract.ts';
import type { ActivityDeps } from '../deps.ts';
import { toolCatalog } from '../tick/tool-catalog.ts';
import { catalogHash, productFingerprint, promptVersion } from './provenance.ts';

/**
 * Opens a campaign: records what it runs against (provider, model, personas, products as the
 * gateway lists them, prompts, code) on its row. A retry (or a re-run workflow task) finds the row
 * and returns the same provenance.
 */
export function createOpenCampaign(deps: ActivityDeps) {
  return async function openCampaign(input: OpenCampaignInput): Promise<CampaignProvenance> {
    const rows = await Promise.all(input.personaIds.map((id) => deps.personas.get(id, { fresh: true })));
    const first = rows[0];
    if (!first)
      throw ApplicationFailure.nonRetryable(
        'a campaign needs at least one persona',
        CAMPAIGN_FAILURES.invalidInput.type,
      );
    const catalog = await toolCatalog(deps, first.id);
    const provenance: CampaignProvenance = {
      provider: deps.llm.kind,
      model: deps.llm.model,
      catalogHash: catalogHash(rows),
      productFingerprint: productFingerprint(catalog.tools, catalog.modules, (n) =>
        catalog.names.claudeName(n),
      ),
      promptVersion: promptVersion(),
      codeVersion: input.codeVersion,
    };
    await deps.db
      .insert(campaigns)
      .values({
        id: input.campaignId,
        label: input.label,
        trials: input.trials,
        seedBase: input.seedBase,
        personas: rows.length,
        ...provenance,
      })
      .onConflictDoNothing();
    return provenance;
  };
}
