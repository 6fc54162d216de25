// Personas the harness seeds: the tests' default one and the benchmarks' generated ones.
import { BUILTIN_ARCHETYPES } from '../../schema/vocabulary.ts';
import type { PersonaDefinition } from '../../lib/personas/upsert-persona.ts';

export const DEFAULT_PERSONA: PersonaDefinition = {
  email: 'sam@personas.test',
  displayName: 'Sam',
  archetype: 'solo-dev',
  systemPrompt: 'You are Sam, a solo developer who tracks everything in todos and notes.',
  moduleMix: { todos: 0.5, notes: 0.3, habits: 0.1, journal: 0.1 },
  cadence: 'daily',
  timezone: 'Europe/Berlin',
};

/** Persona number `i` of a group `tag` (archetypes in turn), using every module a little. */
export function numberedPersona(i: number, tag: string): PersonaDefinition {
  const archetype = BUILTIN_ARCHETYPES[i % BUILTIN_ARCHETYPES.length]!;
  return {
    email: `bench-${tag}-${i}@personas.test`,
    displayName: `Bench ${tag} ${i}`,
    archetype,
    systemPrompt: `You are a ${archetype} persona used by the tick benchmark; you use every module a little.`,
    moduleMix: { todos: 0.4, notes: 0.3, habits: 0.2, journal: 0.1 },
    cadence: 'daily',
    timezone: 'Europe/Berlin',
  };
}
