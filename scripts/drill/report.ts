import type { DrillChecks } from './verify.ts';

/** The drill's result: a table on stderr for people, the JSON summary on stdout for machines. */
export function report(
  summary: DrillChecks & { ok: boolean; violations: string[] },
  jsonOnly: boolean,
): void {
  if (!jsonOnly) {
    const rows: Array<[string, string | number]> = [
      ['ticks completed (Temporal)', `${summary.completedInTemporal}/${summary.ticks}`],
      ['ticks completed (Postgres)', `${summary.completedInPostgres}/${summary.ticks}`],
      ['actions (ok)', `${summary.actions} (${summary.okActions})`],
      ['duplicate actions', summary.duplicateActions],
      ...Object.entries(summary.productWrites).map(
        ([t, w]) => [`${t} rows / ok actions`, `${w.rows} / ${w.okActions}`] as [string, string],
      ),
      ['lost tool calls', summary.lostToolCalls],
      ['infra actions', summary.infraActions],
      ['misclassified actions', summary.misclassifiedActions],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stderr.write(`\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`);
    process.stderr.write(
      summary.ok ? 'drill passed\n' : `drill FAILED:\n  ${summary.violations.join('\n  ')}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(summary, null, jsonOnly ? 0 : 2)}\n`);
}
