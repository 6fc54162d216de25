import type { EncryptionRegistry } from '../crypto/encryption-registry.ts';
import type { ToolSpec } from '../tools/tool-spec.ts';

export type AuditKind = 'missing-table' | 'field-drift' | 'disabled';

export interface AuditFinding {
  tool: string;
  table: string;
  kind: AuditKind;
  severity: 'fail' | 'warning';
  detail: string;
}

/**
 * Diffs every tool's declared `encryptedFields` against the encryption registry:
 * - missing-table (fail): the tool declares encrypted fields for a table the registry does not know;
 * - field-drift (fail): the declared fields differ from the registry's for that table;
 * - disabled (warning): the registry lists the table but encryption is switched off for it.
 */
export function auditEncryptedTools(
  tools: readonly ToolSpec[],
  registry: EncryptionRegistry,
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const tool of tools) {
    for (const [table, declared] of Object.entries(tool.encryptedFields)) {
      const entry = registry[table];
      if (!entry) {
        findings.push({
          tool: tool.name,
          table,
          kind: 'missing-table',
          severity: 'fail',
          detail: `declares encrypted fields [${declared.join(', ')}] but the registry has no table ${table}`,
        });
        continue;
      }
      const want = [...entry.fields].sort();
      const have = [...declared].sort();
      const missing = want.filter((f) => !have.includes(f));
      const extra = have.filter((f) => !want.includes(f));
      if (missing.length || extra.length) {
        findings.push({
          tool: tool.name,
          table,
          kind: 'field-drift',
          severity: 'fail',
          detail: [
            missing.length && `not declared: ${missing.join(', ')}`,
            extra.length && `not in registry: ${extra.join(', ')}`,
          ]
            .filter(Boolean)
            .join('; '),
        });
      }
      if (!entry.enabled) {
        findings.push({
          tool: tool.name,
          table,
          kind: 'disabled',
          severity: 'warning',
          detail: `encryption is disabled for ${table}: these fields are stored in plaintext`,
        });
      }
    }
  }
  return findings;
}
