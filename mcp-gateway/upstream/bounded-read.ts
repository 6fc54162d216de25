import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { SseParser, type SseEvent } from './sse-lines.ts';
import { UpstreamLimitError } from './upstream-errors.ts';

// Reading what an HTTP upstream sends, never more than a product's limits: a response that goes past
// one is destroyed at once (its socket closed), so an endless or oversized answer costs the gateway at
// most the limit in memory and stops using the network.

/** A product's byte limits (products-config.ts: `maxMessageBytes`, `maxStreamBytes`). */
export interface ByteLimits {
  maxMessageBytes: number;
  maxStreamBytes: number;
}

const cutOff = () =>
  new McpError(ErrorCode.ConnectionClosed, 'the upstream closed the connection before its answer ended');

/**
 * A whole response body as text, at most `limit` bytes. Past it (or when Content-Length announces
 * more) the response is destroyed and the read fails with UpstreamLimitError; a response that closes
 * before its end (the upstream hung up, or the call was cancelled) fails as "connection closed".
 */
export function readBoundedText(res: http.IncomingMessage, limit: number): Promise<string> {
  if (Number(res.headers['content-length']) > limit) {
    res.destroy();
    return Promise.reject(new UpstreamLimitError('maxMessageBytes', limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      res.destroy();
      reject(new UpstreamLimitError('maxMessageBytes', limit));
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('close', () => reject(cutOff()));
    res.once('error', () => reject(cutOff()));
  });
}

/** Drains a body nobody reads (a 202's), destroying it past `limit` bytes instead of reading on. */
export function discardBounded(res: http.IncomingMessage, limit: number): void {
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) res.destroy();
  });
  res.on('error', () => {});
}

/**
 * Feeds a `text/event-stream` response to `onEvent`. Each event may take `maxMessageBytes` (counted
 * in decoded characters, as the parser buffers them) and the whole stream `maxStreamBytes`; past
 * either the response is destroyed and `onBreach` is told which limit.
 */
export function readBoundedSse(
  res: http.IncomingMessage,
  limits: ByteLimits,
  onEvent: (e: SseEvent) => void,
  onBreach: (err: UpstreamLimitError) => void,
): void {
  let total = 0;
  let breached = false;
  const breach = (err: UpstreamLimitError) => {
    if (breached) return;
    breached = true;
    res.destroy();
    onBreach(err);
  };
  const parser = new SseParser(onEvent, {
    maxEventChars: limits.maxMessageBytes,
    onOverflow: () => breach(new UpstreamLimitError('maxMessageBytes', limits.maxMessageBytes)),
  });
  const decoder = new StringDecoder('utf8');
  res.on('data', (chunk: Buffer) => {
    if (breached) return;
    total += chunk.length;
    if (total > limits.maxStreamBytes)
      return breach(new UpstreamLimitError('maxStreamBytes', limits.maxStreamBytes));
    parser.push(decoder.write(chunk));
  });
  res.on('error', () => {});
}
