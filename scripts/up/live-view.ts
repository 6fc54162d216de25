import { desc, gte, inArray } from 'drizzle-orm';
import { personaTicks, personas, users } from '../../schema/index.ts';
import { eq } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.ts';

interface Row {
  id: string;
  email: string;
  status: string;
  rounds: number;
  toolCalls: number;
  endReason: string | null;
}

/**
 * A small live view of ticks since `since`: counts by status and the latest ticks. On a terminal it
 * redraws in place; otherwise it prints a line only when something changed (CI logs stay short).
 */
export function startLiveView(
  db: Db,
  opts: { since: Date; tickIds?: () => string[]; out?: NodeJS.WriteStream; everyMs?: number },
) {
  const out = opts.out ?? process.stderr;
  let lastLine = '';
  let drawnLines = 0;
  const draw = async () => {
    const ids = opts.tickIds?.();
    const rows: Row[] = await db
      .select({
        id: personaTicks.id,
        email: users.email,
        status: personaTicks.status,
        rounds: personaTicks.rounds,
        toolCalls: personaTicks.toolCalls,
        endReason: personaTicks.endReason,
      })
      .from(personaTicks)
      .innerJoin(personas, eq(personas.id, personaTicks.personaId))
      .innerJoin(users, eq(users.id, personas.userId))
      .where(
        ids ? inArray(personaTicks.id, ids.length ? ids : ['-']) : gte(personaTicks.startedAt, opts.since),
      )
      .orderBy(desc(personaTicks.startedAt))
      .limit(500);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    const line = `ticks: ${count('running')} running · ${count('completed')} completed · ${count('failed')} failed · ${count('cancelled')} cancelled · ${rows.reduce((n, r) => n + r.toolCalls, 0)} tool calls`;
    if (!out.isTTY) {
      if (line !== lastLine) out.write(`${line}\n`);
      lastLine = line;
      return;
    }
    const recent = rows
      .slice(0, 8)
      .map(
        (r) =>
          `  ${r.status.padEnd(9)} ${r.email.padEnd(32)} rounds ${String(r.rounds).padStart(2)} · tools ${String(r.toolCalls).padStart(2)} ${r.endReason ?? ''}`,
      );
    const text = [line, ...recent];
    if (drawnLines) out.write(`\x1b[${drawnLines}A`);
    for (const l of text) out.write(`\x1b[2K${l}\n`);
    drawnLines = text.length;
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    draw()
      .catch(() => {})
      .finally(() => (busy = false));
  }, opts.everyMs ?? 1000);
  return {
    async stop() {
      clearInterval(timer);
      await draw().catch(() => {});
    },
  };
}
