import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes every tick carries, so the Web UI can filter ticks by persona, archetype and
 * cadence. Pure definitions: imported by workflows, the client and the server set-up alike.
 */
export const PERSONA_ID = defineSearchAttributeKey('PersonaId', SearchAttributeType.KEYWORD);
export const ARCHETYPE = defineSearchAttributeKey('Archetype', SearchAttributeType.KEYWORD);
export const CADENCE = defineSearchAttributeKey('Cadence', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [PERSONA_ID, ARCHETYPE, CADENCE] as const;
