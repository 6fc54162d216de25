// What the offline persona writes: a few phrases per built-in archetype, so a day reads like that
// kind of person's. An archetype the catalog made up (`archivist`, `field-nurse`) gets the neutral
// voice: plain work phrases that fit any product without pretending to know the person.
const PHRASES: Record<string, readonly string[]> = {
  'adhd-student': [
    'finish the bio lab report',
    'email prof about extension',
    'review flashcards',
    'clean desk (for real)',
  ],
  'ceo-busy': ['board deck review', 'call with the CFO', 'approve Q3 hiring plan', 'prep investor update'],
  'creative-parent': [
    'pack school lunches',
    'sketch for the mural',
    'pediatrician appointment',
    'order paint supplies',
  ],
  'solo-dev': [
    'fix the flaky deploy',
    'write release notes',
    'answer GitHub issues',
    'refactor the billing module',
  ],
  researcher: [
    'read two papers on sparse attention',
    'rerun the ablation',
    'draft the methods section',
    'check citations',
  ],
  freelancer: [
    'send invoice to client',
    'update portfolio',
    'follow up on the proposal',
    'track billable hours',
  ],
  'overwhelmed-newbie': [
    'figure out how this app works',
    'make a first todo',
    'try the journal',
    'find the settings',
  ],
};

export const NEUTRAL_PHRASES: readonly string[] = [
  'weekly summary',
  'meeting notes',
  'open questions',
  'reading list',
  'next steps',
];

/** The persona's phrases: its archetype's voice, or the neutral one for an archetype we do not know. */
export function phrasesFor(archetype: string): readonly string[] {
  return Object.hasOwn(PHRASES, archetype) ? PHRASES[archetype]! : NEUTRAL_PHRASES;
}

/** `sketch for the mural` → `sketch-for-the-mural`: a phrase as a file or folder name. */
export function slug(phrase: string): string {
  return (
    phrase
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'notes'
  );
}

export function titleCase(phrase: string): string {
  return phrase.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
}
