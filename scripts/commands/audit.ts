import type { Command } from 'commander';
import { auditEncryptedTools } from '../../mcp-gateway/audit/encrypted-tools.ts';
import { encryptionRegistry } from '../../mcp-gateway/crypto/encryption-registry.ts';
import { toolRegistry } from '../../mcp-gateway/tools/index.ts';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('static checks over the tool registry');
  audit
    .command('encrypted-tools')
    .description("diff every tool's encryptedFields against the encryption registry (exit 1 on any failure)")
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const findings = auditEncryptedTools(toolRegistry, encryptionRegistry);
      const failures = findings.filter((f) => f.severity === 'fail');
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ok: failures.length === 0, tools: toolRegistry.length, findings }, null, 2)}\n`,
        );
      } else {
        for (const f of findings)
          process.stdout.write(`${f.severity.toUpperCase()} ${f.kind} ${f.tool} → ${f.table}: ${f.detail}\n`);
        process.stdout.write(
          `${toolRegistry.length} tools audited: ${failures.length} failure(s), ${findings.length - failures.length} warning(s)\n`,
        );
      }
      if (failures.length) process.exitCode = 1;
    });
}
