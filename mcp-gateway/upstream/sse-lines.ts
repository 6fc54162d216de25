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
 */
export class SseParser {
  private readonly parser: EventSourceParser;

  constructor(onEvent: (e: SseEvent) => void) {
    this.parser = createParser({
      onEvent: (e) => onEvent({ event: e.event ?? 'message', data: e.data, id: e.id }),
    });
  }

  push(chunk: string): void {
    this.parser.feed(chunk);
  }
}
