/** One Server-Sent Event (only the fields MCP uses). */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * An incremental `text/event-stream` parser (WHATWG rules for the fields MCP uses: `event`, `data`,
 * `id`; comments and `retry` are skipped). Fed decoded text chunks as they arrive; an event spans
 * chunks freely. The SDK's client does the same through web streams (TextDecoderStream and
 * EventSourceParserStream per response), which costs more CPU per call than the call itself.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** The last chunk ended in `\r`: a `\n` opening the next one is the same line break. */
  private pendingCr = false;
  private readonly lineBreak = /\r\n|\r|\n/g;

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  push(chunk: string): void {
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    const text = this.buffer + chunk;
    // The buffer holds no line break: search only the new text (a long line over many chunks stays linear).
    this.lineBreak.lastIndex = this.buffer.length;
    let start = 0;
    for (let m = this.lineBreak.exec(text); m; m = this.lineBreak.exec(text)) {
      this.line(text.slice(start, m.index));
      start = this.lineBreak.lastIndex;
      if (m[0] === '\r' && start === text.length) this.pendingCr = true;
    }
    this.buffer = start ? text.slice(start) : text;
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length)
        this.onEvent({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}
