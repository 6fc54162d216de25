import type { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { DbOrTx } from '../../lib/db/client.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { ModuleId } from '../../schema/vocabulary.ts';

export type ToolScope = 'user-space' | 'admin';
export type PolicyHint = 'read' | 'write' | 'destructive';

/** The user a session belongs to, resolved once when the session opens. */
export interface SessionUser {
  id: string;
  email: string;
  kind: 'human' | 'persona' | 'system';
  isAdmin: boolean;
  destructiveOptIn: boolean;
  personalSpaceId: string;
}

export interface ToolContext {
  /**
   * Where the call's statements run. For a call that may write (policy hint write/destructive, or any
   * call with an idempotency key), its transaction: a thrown error rolls back every write of the call.
   * For a plain read, the database itself: each statement commits on its own (under READ COMMITTED a
   * transaction gives a read no more consistency than that, and BEGIN/COMMIT would double its round trips).
   */
  tx: DbOrTx;
  user: SessionUser;
  cipher: FieldCipher;
  /** The space to act in: the given id if the user belongs to it, else the personal space. */
  resolveSpace(spaceId: string | undefined): Promise<string>;
}

/**
 * Schema-first tool definition; the registry of these is the single source of truth for what the
 * gateway lists, validates, gates, encrypts and runs.
 */
export interface ToolSpec<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  module: ModuleId;
  scope: ToolScope;
  policyHint: PolicyHint;
  input: I;
  output: O;
  /** Table → fields this tool reads or writes encrypted; audited against the encryption registry. */
  encryptedFields: Readonly<Record<string, readonly string[]>>;
  handler(input: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

// Claude's tool-name rule; MCP names are a superset, so the stricter one is enforced at definition.
export const CLAUDE_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  spec: ToolSpec<I, O>,
): ToolSpec<I, O> {
  if (!CLAUDE_TOOL_NAME.test(spec.name))
    throw new Error(`tool name ${spec.name} is not a valid Claude tool name`);
  return spec;
}

export function annotationsFor(spec: ToolSpec): ToolAnnotations {
  return {
    title: spec.title,
    readOnlyHint: spec.policyHint === 'read',
    destructiveHint: spec.policyHint === 'destructive',
    idempotentHint: spec.policyHint === 'read',
    openWorldHint: false,
  };
}
