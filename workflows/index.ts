// The workflow bundle's entry point: every workflow the worker registers.
export { personaTick } from './persona-tick.ts';
export { purgeTranscripts } from './purge-transcripts.ts';
export { personaCampaign } from './persona-campaign.ts';
export { personaSlot } from './persona-slot.ts';
