// Anthropic's prompt-cache accounting, emulated for the fake Messages API so cacheRead / cacheWrite
// in persona_ticks are realistic without a key. The rules it follows (Anthropic's prompt caching
// docs): the prompt is the prefix tools → system → messages; a `cache_control` block marks a
// breakpoint (at most 4); a prefix shorter than the model's minimum (1,024 tokens for Sonnet) is
// never cached; at each breakpoint the longest previously cached prefix ending at a block boundary
// at most 20 blocks back is read; the prefix up to every breakpoint is written (or refreshed); an
// entry lives 5 minutes from its last use; a change of tool_choice invalidates cached message blocks
// (tools and system stay cached). Tokens are estimated at 4 characters each.
import { createHash } from 'node:crypto';

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

interface RequestBody {
  system?: unknown;
  messages: Array<{ role: string; content: unknown }>;
  tools?: unknown[];
  tool_choice?: unknown;
}

const LOOKBACK_BLOCKS = 20;
const MAX_BREAKPOINTS = 4;

/** Share of a request's input read from the cache (0 for an empty request). */
export function readShare(u: CacheUsage): number {
  const total = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
  return total ? u.cache_read_input_tokens / total : 0;
}

export class PromptCacheEmulator {
  private readonly entries = new Map<string, number>();
  /** Every usage reported, in request order (what tests and bench/prompt-cost.ts measure). */
  readonly usages: CacheUsage[] = [];

  constructor(private readonly opts: { minTokens?: number; ttlMs?: number; now?: () => number } = {}) {}

  /** Usage for one request, updating the cache as the API would. Throws on > 4 breakpoints. */
  usage(body: RequestBody): CacheUsage {
    const now = (this.opts.now ?? Date.now)();
    const minTokens = this.opts.minTokens ?? 1024;
    const ttl = this.opts.ttlMs ?? 5 * 60_000;
    const blocks = flatten(body);
    if (blocks.filter((b) => b.breakpoint).length > MAX_BREAKPOINTS)
      throw new Error(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided.`);
    // Running token count and prefix hash at the end of every block.
    const ends: Array<{ tokens: number; hash: string }> = [];
    const h = createHash('sha256');
    let tokens = 0;
    for (const b of blocks) {
      h.update(b.key);
      tokens += b.tokens;
      ends.push({ tokens, hash: h.copy().digest('hex') });
    }
    const total = tokens;
    const live = (hash: string) => (this.entries.get(hash) ?? 0) > now;
    let read = 0;
    let lastBreakpoint = -1;
    blocks.forEach((b, i) => {
      if (!b.breakpoint) return;
      lastBreakpoint = i;
      for (let j = i; j >= Math.max(0, i - LOOKBACK_BLOCKS); j--) {
        if (live(ends[j]!.hash)) {
          read = Math.max(read, ends[j]!.tokens);
          this.entries.set(ends[j]!.hash, now + ttl);
          break;
        }
      }
    });
    let write = 0;
    blocks.forEach((b, i) => {
      if (!b.breakpoint || ends[i]!.tokens < minTokens) return;
      this.entries.set(ends[i]!.hash, now + ttl);
      if (i === lastBreakpoint) write = Math.max(0, ends[i]!.tokens - read);
    });
    const usage = {
      input_tokens: total - read - write,
      cache_creation_input_tokens: write,
      cache_read_input_tokens: read,
    };
    this.usages.push(usage);
    return usage;
  }
}

interface FlatBlock {
  key: string;
  tokens: number;
  breakpoint: boolean;
}

/** The prompt as the API serialises it for caching: one entry per tool, system block and content block. */
function flatten(body: RequestBody): FlatBlock[] {
  const out: FlatBlock[] = [];
  const push = (level: string, value: unknown) => {
    const { cache_control, ...rest } = (typeof value === 'object' && value ? value : { text: value }) as {
      cache_control?: unknown;
    };
    const key = `${level}:${JSON.stringify(rest)}`;
    out.push({ key, tokens: Math.ceil(key.length / 4), breakpoint: !!cache_control });
  };
  for (const t of body.tools ?? []) push('tool', t);
  const system =
    typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const s of system as unknown[]) push('system', s);
  // tool_choice is part of what message blocks are cached under: changing it invalidates them only.
  const choice = JSON.stringify(body.tool_choice ?? { type: 'auto' });
  for (const m of body.messages) {
    const content =
      typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content as unknown[]);
    for (const c of content) push(`${m.role}|${choice}`, c);
  }
  return out;
}
