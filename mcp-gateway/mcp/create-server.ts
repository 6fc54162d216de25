import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSpec } from '../tools/tool-spec.ts';
import type { Federation } from '../upstream/federation.ts';
import { callUpstreamTool } from '../upstream/upstream-call.ts';
import { callTool, type CallDeps, type CallSession } from './call-tool.ts';
import { toMcpTool } from './tool-listing.ts';
import { GOAL_CHECK_META } from '../../lib/personas/goals.ts';
import { errorResult } from './tool-result.ts';

export const SERVER_INFO = { name: 'persona-runner-gateway', version: '0.1.0' };

/**
 * One MCP server per session, bound to the session's user: it lists only the tools that user may
 * see (admin-scope tools are absent for non-admins) and runs every call through `callTool`.
 */
export function createServer(
  deps: CallDeps,
  session: CallSession,
  registry: readonly ToolSpec[],
  federation?: Federation,
) {
  const byName = new Map(registry.map((t) => [t.name, t]));
  const server = new Server(SERVER_INFO, {
    // Federated products' tool lists can change (upstream list_changed, reconnect): clients are told.
    capabilities: { tools: { listChanged: !!federation } },
    instructions: federation
      ? 'Tools of the products under test; federated tools are named <product>__<tool>. Errors say which field to fix.'
      : 'Tools of the persona-runner demo product: habits, todos, notes, journal, spaces. ' +
        'Ids come from the list/search tools; errors say which field to fix.',
  });

  // Filtered per request: the session's user is refreshed before each one (a demotion applies at once).
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [
      ...registry.filter((t) => t.scope !== 'admin' || session.user.isAdmin).map(toMcpTool),
      ...(federation?.listings() ?? []),
    ],
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const spec = byName.get(request.params.name);
    const upstream = spec ? undefined : federation?.lookup(request.params.name);
    // A goal check reads the product's end state; it may never change it, whatever POLICY_MODE says.
    const hint = spec?.policyHint ?? upstream?.tool.policyHint;
    if (request.params._meta?.[GOAL_CHECK_META] === true && hint && hint !== 'read') {
      return errorResult(
        'persona',
        'GOAL_CHECK_NOT_READ_ONLY',
        `${request.params.name} is not read-only (readOnlyHint): a goal check may only call tools that read`,
      );
    }
    if (upstream) {
      const meta = request.params._meta as Record<string, unknown> | undefined;
      return callUpstreamTool(deps, session, upstream.product, upstream.tool, request.params.arguments, meta);
    }
    const down = spec ? undefined : federation?.unavailableProductFor(request.params.name);
    if (down) {
      const why = down.lastError() ?? 'connecting';
      return errorResult(
        'infra',
        'UPSTREAM_UNAVAILABLE',
        `${down.config.name} is unavailable right now (${why}); this is not caused by your input: try again later.`,
        { retryable: true },
      );
    }
    // Admin tools are in byName for everyone: for a non-admin the policy gate refuses (and counts) them.
    if (!spec) {
      return errorResult(
        'persona',
        'UNKNOWN_TOOL',
        `unknown tool "${request.params.name}"; call tools/list for the available tools`,
      );
    }
    return callTool(
      deps,
      session,
      spec,
      request.params.arguments,
      request.params._meta as Record<string, unknown> | undefined,
    );
  });

  return { server, cleanup: () => server.close() };
}
