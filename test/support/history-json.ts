import { createRequire } from 'node:module';
import type * as protoModule from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';

type History = temporal.api.history.v1.History;
type ProtoType = { readonly name: string };
interface ProtoJson {
  toJson(type: ProtoType, message: unknown): unknown;
  fromJson(type: ProtoType, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

// Temporal's own historyToJSON / historyFromJSON (@temporalio/common/lib/proto-utils, also what
// Worker.runReplayHistory uses for JSON input) throw "type must be a Type" in this install:
// protobufjs 8 is installed once per @temporalio package (the top-level protobufjs is grpc's v7), and
// common's protojson does not recognise the Type objects built by @temporalio/proto's copy. So the
// conversion here uses protojson from the very protobufjs that @temporalio/proto loads. Same format:
// the one `temporal workflow show --output json` writes.
const require = createRequire(import.meta.url);
const proto = require('@temporalio/proto') as typeof protoModule;
const protojson = createRequire(require.resolve('@temporalio/proto'))(
  'protobufjs/ext/protojson',
) as ProtoJson;
// The generated root (a protobufjs Root), patched the way @temporalio/common patches it.
const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as {
  lookupType(name: string): ProtoType;
};
const historyType = root.lookupType('temporal.api.history.v1.History');

/** A fetched history as Temporal's standard JSON (int64 as strings, bytes as base64, enum names). */
export function historyToJson(history: temporal.api.history.v1.IHistory): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return `${JSON.stringify(protojson.toJson(historyType, message), null, 2)}\n`;
}

/** The History message of a JSON history (file), ready for Worker.runReplayHistory. */
export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
