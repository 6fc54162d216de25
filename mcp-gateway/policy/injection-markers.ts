/**
 * Phrases typical of prompt-injection attempts in free text a tool will store (and a model may later
 * read back). They are flagged, never blocked: a journal entry may legitimately quote one.
 */
const MARKERS: ReadonlyArray<[name: string, pattern: RegExp]> = [
  [
    'ignore-instructions',
    /\b(ignore|disregard|forget)\b.{0,30}\b(previous|prior|above|all|earlier)\b.{0,20}\b(instructions?|prompts?|rules)\b/i,
  ],
  ['role-override', /\byou are now\b|\bact as (an? )?(admin|administrator|root|system)\b/i],
  ['system-prompt', /\b(reveal|print|show|leak)\b.{0,30}\bsystem prompt\b/i],
  ['chat-template', /<\|im_start\|>|<\|system\|>|\[\/?INST\]|<\/?system>/i],
  ['tool-hijack', /\b(call|invoke|use)\b.{0,20}\btool\b.{0,40}\b(delete|archive|admin)\w*/i],
];

/** Names of the markers found in any string inside `value` (walks objects and arrays). */
export function findInjectionMarkers(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const [name, re] of MARKERS) if (re.test(v)) found.add(name);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}
