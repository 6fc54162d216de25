// The two markers the SDK's core writes into a tick's history, read back: a `patched()` marker (which
// patch) and a local activity's (which activity, which attempt). Core writes their details as plain
// JSON payloads, never through the payload codec, so they read the same with or without the key.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type Marker = temporal.api.history.v1.IMarkerRecordedEventAttributes | null | undefined;

function detail(m: NonNullable<Marker>, key: string): Record<string, unknown> | undefined {
  const payload = m.details?.[key]?.payloads?.[0];
  try {
    return payload
      ? defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload as Payload)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The patch id of a `patched()` marker; undefined for any other event. */
export function patchIdOf(m: Marker): string | undefined {
  if (m?.markerName !== 'core_patch') return undefined;
  const id = detail(m, 'patch-data')?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The activity type and attempt of a local activity's marker; undefined for any other event. */
export function localActivityOf(m: Marker): { type: string; attempt: number } | undefined {
  if (m?.markerName !== 'core_local_activity') return undefined;
  const data = detail(m, 'data');
  return typeof data?.activity_type === 'string'
    ? { type: data.activity_type, attempt: Number(data.attempt ?? 1) }
    : undefined;
}
