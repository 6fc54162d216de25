// server-memory's behaviour that matters to the offline persona's unit tests
// (test/unit/scripted-any-product.test.ts): entities by name, observations only for entities that
// exist, JSON answers. The real server is used by test/federation/scripted-any-product.test.ts.
import type { Answer } from './scripted-days.ts';

/** server-memory's behaviour that matters here: observations go to entities that exist. */
export function fakeMemoryProduct() {
  const entities = new Map<string, { name: string; entityType: string; observations: string[] }>();
  const ok = (v: unknown): Answer => ({ isError: false, text: JSON.stringify(v, null, 2) });
  return async (tool: string, input: Record<string, unknown>): Promise<Answer> => {
    switch (tool) {
      case 'create_entities': {
        const list = input.entities as Array<{ name: string; entityType: string; observations: string[] }>;
        for (const e of list) if (!entities.has(e.name)) entities.set(e.name, e);
        return ok(list);
      }
      case 'add_observations': {
        for (const o of input.observations as Array<{ entityName: string; contents: string[] }>) {
          const e = entities.get(o.entityName);
          if (!e) return { isError: true, text: `Entity with name ${o.entityName} not found` };
          e.observations.push(...o.contents);
        }
        return ok(input.observations);
      }
      case 'create_relations':
        return ok(input.relations);
      case 'read_graph':
        return ok({ entities: [...entities.values()], relations: [] });
      case 'search_nodes':
        return ok({ entities: [...entities.values()].filter((e) => e.name.includes(String(input.query))) });
      case 'open_nodes':
        return ok({ entities: (input.names as string[]).flatMap((n) => entities.get(n) ?? []) });
      default:
        return { isError: true, text: `Unknown tool: ${tool}` };
    }
  };
}
