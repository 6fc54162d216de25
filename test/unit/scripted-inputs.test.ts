import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildArguments } from '../../activities/llm/scripted-inputs.ts';
import { emptyMemory, type ProductMemory } from '../../activities/llm/scripted-memory.ts';
import { SeededRandom } from '../../activities/llm/seeded-random.ts';

const fill = (
  seed: string,
  archetype: string,
  memory: Partial<ProductMemory> = {},
  kind = 'create' as const,
) => ({
  rnd: new SeededRandom(seed),
  archetype,
  memory: { ...emptyMemory(), ...memory },
  today: '2026-01-01',
  tool: 'memory__create_things',
  kind,
});

// The scripted persona fills an unknown product's nested schemas (server-memory's, here by shape).
const entities = {
  type: 'object',
  required: ['entities'],
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'entityType', 'observations'],
        properties: {
          name: { type: 'string' },
          entityType: { type: 'string' },
          observations: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};
const relations = {
  type: 'object',
  required: ['relations'],
  properties: {
    relations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to', 'relationType'],
        properties: { from: { type: 'string' }, to: { type: 'string' }, relationType: { type: 'string' } },
      },
    },
  },
};

test('arrays of objects are filled with their required fields', () => {
  for (let seed = 0; seed < 20; seed++) {
    const args = buildArguments(entities, fill(`e${seed}`, 'researcher')) as {
      entities: { name: string; entityType: string; observations: string[] }[];
    };
    assert.ok(args.entities.length >= 1);
    for (const e of args.entities) {
      assert.equal(typeof e.name, 'string');
      assert.equal(typeof e.entityType, 'string');
      assert.ok(e.observations.length >= 1 && typeof e.observations[0] === 'string');
    }
  }
});

test('fields that refer to things by name use names seen in earlier results', () => {
  const known = { names: ['Ada Lovelace', 'Analytical Engine'] };
  const args = buildArguments(relations, fill('r', 'researcher', known)) as {
    relations: { from: string; to: string }[];
  };
  for (const r of args.relations) {
    assert.ok(known.names.includes(r.from) && known.names.includes(r.to), JSON.stringify(r));
  }
  const names = buildArguments(
    {
      type: 'object',
      required: ['entityNames'],
      properties: { entityNames: { type: 'array', items: { type: 'string' } } },
    },
    fill('n', 'researcher', known),
  ) as { entityNames: string[] };
  assert.ok(names.entityNames.every((n) => known.names.includes(n)));
});

test('enums, numbers within bounds, anyOf', () => {
  const schema = {
    type: 'object',
    required: ['level', 'count', 'when'],
    properties: {
      level: { type: 'string', enum: ['low', 'high'] },
      count: { type: 'integer', minimum: 10, maximum: 12 },
      when: { anyOf: [{ type: 'null' }, { type: 'string', format: 'date' }] },
    },
  };
  for (let seed = 0; seed < 20; seed++) {
    const a = buildArguments(schema, fill(`x${seed}`, 'ceo-busy'))!;
    assert.ok(['low', 'high'].includes(a.level as string));
    assert.ok((a.count as number) >= 10 && (a.count as number) <= 12);
    assert.equal(a.when, '2026-01-01');
  }
});
