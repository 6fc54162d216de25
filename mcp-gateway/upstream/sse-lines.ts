import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One Server-Sent Event (only the fields MCP uses). */
export interface SseEvent {
  event: string;
  data: string;
  /** The event's own `id` field, if it had one. */
  id: string | undefined;
}

/**
 * An incremental `text/event-stream` parser fed decoded text chunks as they arrive (an event spans
 * chunks freely): eventsource-parser, the parser the SDK's own client uses, called directly. The SDK
 * client reaches it through web streams (TextDecoderStream and EventSourceParserStream per response),
 * which cost more CPU per call than the call itself; here it is fed from node:http's chunks.
 *
 * The parser gets whole lines only: the unfinished last line of a chunk waits here, as a list of
 * pieces. Fed partial lines, the parser searches its growing line again on every chunk — an event
 * of a few MiB sent in small chunks would then cost time quadratic in its size.
 *
 * `maxEventChars` bounds one event (its lines, finished or not): past it `onOverflow` is called once
 * and nothing more is parsed.
 */
export class SseParser {
  private readonly parser: EventSourceParser;
  private pending: string[] = [];
  /** Characters received since the last event was dispatched. */
  private sinceEvent = 0;
  private overflowed = false;

  constructor(
    onEvent: (e: SseEvent) => void,
    private readonly opts: { maxEventChars?: number; onOverflow?: () => void } = {},
  ) {
    this.parser = createParser({
      onEvent: (e) => {
        this.sinceEvent = 0;
        onEvent({ event: e.event ?? 'message', data: e.data, id: e.id });
      },
    });
  }

  push(chunk: string): void {
    if (this.overflowed) return;
    this.sinceEvent += chunk.length;
    if (this.sinceEvent > (this.opts.maxEventChars ?? Infinity)) {
      this.overflowed = true;
      this.pending = [];
      this.opts.onOverflow?.();
      return;
    }
    const lastEnd = Math.max(chunk.lastIndexOf('\n'), chunk.lastIndexOf('\r'));
    if (lastEnd === -1) {
      this.pending.push(chunk);
      return;
    }
    const lines = this.pending.join('') + chunk.slice(0, lastEnd + 1);
    this.pending = lastEnd + 1 < chunk.length ? [chunk.slice(lastEnd + 1)] : [];
    this.parser.feed(lines);
  }
}
