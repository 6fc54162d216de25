import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser, type SseEvent } from '../../mcp-gateway/upstream/sse-lines.ts';

// How the gateway reads upstream answers to POSTs (eventsource-parser fed node:http's chunks, in
// sse-lines.ts): events must come out the same however the stream is cut into chunks.
const stream =
  'id: 1\r\nevent: message\r\ndata: {"a":1}\r\n\r\n' +
  ': a comment, then a two-line data field\ndata:x\ndata: y\n\n' +
  'retry: 5\revent: ping\rdata: other\r\r' +
  'data: ünïcödé\n\n' +
  'data: no blank line yet';

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return events;
}

const expected: SseEvent[] = [
  { event: 'message', data: '{"a":1}', id: '1' },
  // Each event's own id (the gateway does not resume streams, so no last-event-id is carried over).
  { event: 'message', data: 'x\ny', id: undefined },
  { event: 'ping', data: 'other', id: undefined },
  { event: 'message', data: 'ünïcödé', id: undefined },
];

test('SSE: fields, CRLF/CR/LF line breaks, comments, multi-line data; an unfinished event waits', () => {
  assert.deepEqual(parse([stream]), expected);
});

test('SSE: the same events for every split into two chunks and for one character at a time', () => {
  for (let i = 0; i <= stream.length; i++)
    assert.deepEqual(parse([stream.slice(0, i), stream.slice(i)]), expected, `split at ${i}`);
  assert.deepEqual(parse([...stream]), expected);
});

test('SSE: an event may take maxEventChars, counted across events; past it onOverflow once, then nothing', () => {
  const events: SseEvent[] = [];
  let overflows = 0;
  const parser = new SseParser((e) => events.push(e), { maxEventChars: 100, onOverflow: () => overflows++ });
  parser.push(`data: ${'a'.repeat(80)}\n\n`);
  parser.push(`data: ${'b'.repeat(80)}\n\n`);
  for (const c of `data: ${'c'.repeat(200)}`) parser.push(c);
  parser.push('\n\ndata: d\n\n');
  assert.deepEqual(
    events.map((e) => e.data[0]),
    ['a', 'b'],
  );
  assert.equal(overflows, 1);
});
