import { z } from 'zod';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { annotationsFor, type ToolSpec } from '../tools/tool-spec.ts';

/** JSON Schema as MCP wants it: an object schema, without the $schema marker. */
function objectSchema(schema: z.ZodType, io: 'input' | 'output'): Tool['inputSchema'] {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...json, type: 'object' } as Tool['inputSchema'];
}

const listingCache = new WeakMap<ToolSpec, Tool>();

/** The MCP description of a tool; computed once per spec (schema conversion is not free). */
export function toMcpTool(spec: ToolSpec): Tool {
  let tool = listingCache.get(spec);
  if (!tool) {
    tool = {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: objectSchema(spec.input, 'input'),
      outputSchema: objectSchema(spec.output, 'output') as Tool['outputSchema'],
      annotations: annotationsFor(spec),
      // encryptedFields tells clients which tools carry data the product stores encrypted (the worker
      // keeps their results out of plaintext summaries).
      _meta: {
        module: spec.module,
        scope: spec.scope,
        policyHint: spec.policyHint,
        encryptedFields: spec.encryptedFields,
      },
    };
    listingCache.set(spec, tool);
  }
  return tool;
}
