// The generated catalog of bench/scale.ts: reserved-domain emails, the 7 archetypes in turn, module
// mixes summing to 1, the three cadences, real IANA timezones, prompts of more than 40 characters.
import { BUILTIN_ARCHETYPES, CADENCES } from '../../schema/vocabulary.ts';

const TIMEZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Africa/Nairobi',
  'Pacific/Auckland',
  'UTC',
];
const MIXES: Array<Record<string, number>> = [
  { todos: 0.4, habits: 0.3, journal: 0.2, notes: 0.1 },
  { notes: 0.5, todos: 0.3, habits: 0.2 },
  { todos: 0.6, notes: 0.4 },
  { todos: 0.25, habits: 0.25, notes: 0.25, journal: 0.25 },
  { journal: 0.5, habits: 0.5 },
  { todos: 1 },
];
const VOICES: Record<(typeof BUILTIN_ARCHETYPES)[number], string> = {
  'adhd-student': 'a student with ADHD who starts five things at once and loves tiny wins',
  'ceo-busy': 'a CEO whose day is cut into fifteen-minute blocks and who triages ruthlessly',
  'creative-parent': 'an illustrator and parent of two juggling school runs and deadlines',
  'solo-dev': 'a solo developer who tracks everything in todos and writes terse notes',
  researcher: 'a researcher who keeps meticulous notes and a reading journal',
  freelancer: 'a freelancer balancing four clients, invoices and a fragile routine',
  'overwhelmed-newbie': 'someone new to productivity apps who is easily overwhelmed by choices',
};

export function generateCatalog(n: number): string {
  const width = String(n - 1).length;
  const personas = Array.from({ length: n }, (_, i) => {
    const archetype = BUILTIN_ARCHETYPES[i % BUILTIN_ARCHETYPES.length]!;
    const name = `Persona ${String(i).padStart(width, '0')}`;
    return {
      email: `scale-${String(i).padStart(width, '0')}@personas.test`,
      displayName: name,
      archetype,
      systemPrompt: `You are ${name}, ${VOICES[archetype]}. You speak in your own voice and rate honestly.`,
      moduleMix: MIXES[i % MIXES.length]!,
      cadence: CADENCES[Math.floor(i / BUILTIN_ARCHETYPES.length) % CADENCES.length]!,
      timezone: TIMEZONES[i % TIMEZONES.length]!,
    };
  });
  return JSON.stringify({ version: 1, personas });
}
