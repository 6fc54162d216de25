import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** Our request ids are strings with this prefix; the SDK's Protocol numbers its own, so they never meet. */
const ID_PREFIX = 'gw-';

/**
 * `tools/call` straight over a connected session's transport, beside the SDK Client that owns it.
 * The Client still does everything else (initialize, tools/list, notifications, requests from the
 * server); only the per-call path skips its machinery: four zod parses of every incoming message to
 * classify it, the result-schema parse, and the output-schema check (the gateway checks that itself,
 * with a compiled validator, and classifies a mismatch as the product's error). Measured about 40% of
 * the gateway's client-side CPU per call.
 *
 * It hooks the transport after `client.connect()`: answers to our ids are taken out, every other
 * message goes on to the Client's handler; a closed transport fails our calls like the Client's.
 */
export class DirectCalls {
  private readonly pending = new Map<string, Pending>();
  private next = 0;

  constructor(private readonly transport: Transport) {
    const toClient = transport.onmessage;
    transport.onmessage = (message, extra) => {
      if (!this.take(message)) toClient?.(message, extra);
    };
    const closeClient = transport.onclose;
    transport.onclose = () => {
      this.failAll(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'));
      closeClient?.();
    };
  }

  private take(message: JSONRPCMessage): boolean {
    if (!('id' in message) || 'method' in message || typeof message.id !== 'string') return false;
    const call = this.pending.get(message.id);
    if (!call) return false;
    this.pending.delete(message.id);
    clearTimeout(call.timer);
    if ('error' in message) {
      const { code, message: text, data } = message.error;
      call.reject(McpError.fromError(code, text, data));
    } else call.resolve(message.result);
    return true;
  }

  /** Sends a request and resolves with its raw `result` (JSON-RPC errors reject as McpError). */
  request(method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const id = `${ID_PREFIX}${this.next++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        // As the SDK does: tell the server to stop, and fail the call as a timeout.
        this.transport
          .send({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id, reason: 'timeout' },
          })
          .catch(() => {});
        reject(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.transport.send({ jsonrpc: '2.0', id, method, params }).catch((err: Error) => {
        const call = this.pending.get(id);
        if (!call) return;
        this.pending.delete(id);
        clearTimeout(call.timer);
        reject(err);
      });
    });
  }

  failAll(err: Error): void {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(err);
    }
    this.pending.clear();
  }
}
