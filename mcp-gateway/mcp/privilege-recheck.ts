import type { ToolSpec } from '../tools/tool-spec.ts';
import type { Federation } from '../upstream/federation.ts';

/**
 * Which requests of an open session must see the user's privileges as they are in the database right
 * now (tier, destructive opt-in, existence), and which may use what was read at most `maxAgeMs` ago.
 *
 * The outcome of tools/list (admin tools listed or not), of an admin tool and of a destructive tool
 * depends on privileges: those are always re-read, so a demotion or a revoked opt-in applies to the
 * very next such request. The outcome of any other call does not: re-reading for it would only notice
 * a deleted user sooner, so it re-reads when the last read is older than `maxAgeMs` (a deleted user's
 * session ends within that bound even if it only reads). Saves a database round trip on nearly every
 * call of a busy session (issue 12: it was half of a read's statements).
 */
export function privilegeRecheck(
  registry: readonly ToolSpec[],
  federation: Federation | undefined,
  maxAgeMs: number,
) {
  const privileged = new Set(
    registry.filter((t) => t.scope === 'admin' || t.policyHint === 'destructive').map((t) => t.name),
  );
  const plain = new Set(registry.map((t) => t.name).filter((n) => !privileged.has(n)));
  const isPlainCall = (body: unknown): boolean => {
    const msg = body as { method?: unknown; params?: { name?: unknown } } | undefined;
    if (!msg || Array.isArray(msg) || msg.method !== 'tools/call') return false;
    const name = msg.params?.name;
    if (typeof name !== 'string') return false;
    if (plain.has(name)) return true;
    // A federated tool: its annotations decide (destructiveHint → destructive opt-in).
    const upstream = privileged.has(name) ? undefined : federation?.lookup(name);
    return !!upstream && upstream.tool.policyHint !== 'destructive';
  };
  return {
    /** True when this request must re-read the privileges first (`checkedAt`: the last read, ms). */
    due(body: unknown, checkedAt: number, now = Date.now()): boolean {
      return now - checkedAt >= maxAgeMs || !isPlainCall(body);
    },
  };
}
