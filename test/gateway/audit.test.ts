import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { auditEncryptedTools, type AuditFinding } from '../../mcp-gateway/audit/encrypted-tools.ts';
import { encryptionRegistry, type EncryptionRegistry } from '../../mcp-gateway/crypto/encryption-registry.ts';
import { toolRegistry, toolsByName } from '../../mcp-gateway/tools/index.ts';
import type { ToolSpec } from '../../mcp-gateway/tools/tool-spec.ts';

const run = promisify(execFile);
const tool = (name: string) => {
  const spec = toolsByName.get(name);
  assert.ok(spec, `no tool ${name} in the registry`);
  return spec;
};
const summary = (findings: AuditFinding[]) =>
  findings.map((f) => `${f.severity} ${f.kind} ${f.tool} ${f.table}`).sort();

describe('audit: encrypted fields of tools vs the encryption registry', () => {
  test('the real registry has no failures and no warnings', () => {
    assert.deepEqual(auditEncryptedTools(toolRegistry, encryptionRegistry), []);
    // The audit has something to check: tools that do declare encrypted fields.
    assert.ok(toolRegistry.filter((t) => Object.keys(t.encryptedFields).length > 0).length >= 3);
  });

  test('every table in the encryption registry is declared by at least one tool', () => {
    const declared = new Set(toolRegistry.flatMap((t) => Object.keys(t.encryptedFields)));
    for (const table of Object.keys(encryptionRegistry)) assert.ok(declared.has(table), table);
  });

  test('catches injected drift: field-drift and missing-table fail, a disabled table warns', () => {
    const drifted: ToolSpec = { ...tool('note_create'), encryptedFields: { notes: ['body', 'title'] } };
    const unknownTable: ToolSpec = {
      ...tool('todo_create'),
      name: 'todo_secret_create',
      encryptedFields: { secret_todos: ['title'] },
    };
    const registry: EncryptionRegistry = {
      ...encryptionRegistry,
      journal_entries: { fields: ['body'], enabled: false },
    };
    const tools = toolRegistry.map((t) => (t.name === 'note_create' ? drifted : t)).concat(unknownTable);

    const findings = auditEncryptedTools(tools, registry);
    assert.deepEqual(summary(findings), [
      'fail field-drift note_create notes',
      'fail missing-table todo_secret_create secret_todos',
      'warning disabled journal_add journal_entries',
    ]);
    const drift = findings.find((f) => f.kind === 'field-drift')!;
    assert.match(drift.detail, /not in registry: title/);
    assert.match(
      findings.find((f) => f.kind === 'missing-table')!.detail,
      /registry has no table secret_todos/,
    );
    assert.match(findings.find((f) => f.kind === 'disabled')!.detail, /stored in plaintext/);
  });

  test('a tool declaring fewer fields than the registry is drift too', () => {
    const registry: EncryptionRegistry = {
      ...encryptionRegistry,
      notes: { fields: ['body', 'title'], enabled: true },
    };
    const findings = auditEncryptedTools(toolRegistry, registry);
    const noteTools = toolRegistry.filter((t) => 'notes' in t.encryptedFields).map((t) => t.name);
    assert.ok(noteTools.length >= 2);
    assert.deepEqual(
      findings.map((f) => [f.kind, f.tool]).sort(),
      noteTools.map((n) => ['field-drift', n]).sort(),
    );
    assert.ok(findings.every((f) => /not declared: title/.test(f.detail)));
  });

  test('`personas audit encrypted-tools --json` exits 0 on the real registry', async () => {
    const { stdout } = await run(
      process.execPath,
      ['scripts/bin/personas.js', 'audit', 'encrypted-tools', '--json'],
      {
        cwd: new URL('../..', import.meta.url),
      },
    );
    const report = JSON.parse(stdout) as { ok: boolean; tools: number; findings: AuditFinding[] };
    assert.deepEqual(report, { ok: true, tools: toolRegistry.length, findings: [] });
  });
});
