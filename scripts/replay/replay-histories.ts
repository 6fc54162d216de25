// `personas replay`: fetch recent tick histories from the Temporal server and replay them against the
// workflow code about to be deployed (the SDK's history replayer), so a non-deterministic change is
// caught before it reaches running ticks — next to patched() in README "Changing the workflow".
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { localActivityOf, patchIdOf } from '../../lib/temporal/markers.ts';
import { TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { ENCODING as ENCRYPTED } from '../../workers/payload-codec.ts';
import { WORKFLOWS_PATH } from '../../workers/tick-worker.ts';

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  ok: boolean;
  /** `nondeterminism` when the new code diverges from history; `error` for anything else. */
  kind?: 'nondeterminism' | 'error';
  /** The first recorded event the new code does not reproduce (found by bisecting the history). */
  event?: { id: number; type: string; detail?: string };
  message?: string;
}

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface ReplayTarget {
  workflowId: string;
  runId?: string;
}

/**
 * The replayer's worker logs to stderr (stdout carries the report): warnings from the TS side, and
 * only errors from the SDK core, whose "failing workflow task" warning is what the report says.
 */
export function installReplayRuntime(): void {
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      process.stderr.write(`[${entry.level}] ${entry.message}\n`);
    }),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

const silent = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Bundles the workflow code at `workflowsPath` (default: this project's workflows). */
export function bundleForReplay(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path.resolve(workflowsPath), logger: silent });
}

/** Ticks started since `since` (running or closed), newest first, at most `limit`; one persona's when given. */
export async function recentTickRuns(
  client: Client,
  since: Date,
  limit: number,
  personaId?: string,
): Promise<ReplayTarget[]> {
  const persona = personaId ? ` AND PersonaId = '${personaId}'` : '';
  const query = `WorkflowType = '${TICK_WORKFLOW}' AND StartTime >= '${since.toISOString()}'${persona}`;
  const out: ReplayTarget[] = [];
  for await (const wf of client.workflow.list({ query })) {
    out.push({ workflowId: wf.workflowId, runId: wf.runId });
    if (out.length >= limit) break;
  }
  return out;
}

/** The SDK's own sentence ("[TMPRL1100] Nondeterminism error: …") without its wrapping. */
export function nondeterminismReason(message: string): string {
  return /message: "([^"]+)"/.exec(message)?.[1] ?? message;
}

/** `ActivityTaskScheduled` etc.: the event's kind, read off which `…EventAttributes` it carries. */
function eventType(e: HistoryEvent): string {
  const key = Object.keys(e).find(
    (k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k] != null,
  );
  return key ? key.replace(/EventAttributes$/, '').replace(/^./, (c) => c.toUpperCase()) : 'Unknown';
}

function describeEvent(e: HistoryEvent): { id: number; type: string; detail?: string } {
  const detail =
    e.activityTaskScheduledEventAttributes?.activityType?.name ??
    markerDetail(e.markerRecordedEventAttributes) ??
    e.timerStartedEventAttributes?.timerId ??
    e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name ??
    undefined;
  return { id: Number(e.eventId ?? 0), type: eventType(e), ...(detail && { detail }) };
}

/** A marker as a person reads it: `patch <id>`, `local activity <type>`, or its name. */
function markerDetail(m: HistoryEvent['markerRecordedEventAttributes']): string | undefined {
  const patch = patchIdOf(m);
  if (patch) return `patch ${patch}`;
  const local = localActivityOf(m);
  if (local) return `local activity ${local.type}`;
  return m?.markerName ?? undefined;
}

/**
 * Where the new code first diverges: replaying a history cut just after a workflow task started checks
 * every command of the tasks before it, so the smallest failing cut names the task whose commands
 * differ; its first recorded command event is the diverging event.
 */
async function firstDivergingEvent(
  history: History,
  replay: (h: History) => Promise<boolean>,
): Promise<HistoryEvent | undefined> {
  const events = history.events ?? [];
  const cuts = events.flatMap((e, i) => (eventType(e) === 'WorkflowTaskStarted' ? [i + 1] : []));
  cuts.push(events.length);
  let lo = 0;
  let hi = cuts.length - 1;
  if (await replay({ events: events.slice(0, cuts[hi]) })) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (await replay({ events: events.slice(0, cuts[mid]) })) lo = mid + 1;
    else hi = mid;
  }
  // Commands of the failing task are recorded after its WorkflowTaskCompleted event.
  const start = cuts[Math.max(0, hi - 1)]!;
  const completed = events.findIndex((e, i) => i >= start && eventType(e) === 'WorkflowTaskCompleted');
  return completed >= 0 ? events[completed + 1] : events[start];
}

/** True when any payload of the history was written through the AES-GCM payload codec. */
export function encodedWithCodec(history: History): boolean {
  const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString() : '');
  const seen = new WeakSet<object>();
  const stack: unknown[] = [history];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || seen.has(v) || v instanceof Uint8Array) continue;
    seen.add(v);
    const metadata = (v as { metadata?: Record<string, Uint8Array> }).metadata;
    if (metadata && 'data' in v && text(metadata.encoding) === ENCRYPTED) return true;
    stack.push(...Object.values(v));
  }
  return false;
}

/** Rejects after `ms` so one history the replayer cannot finish never stalls the whole check. */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Replays each target's history against `workflowBundle`; one outcome per target, in order. */
export async function replayTicks(opts: {
  client: Client;
  targets: readonly ReplayTarget[];
  workflowBundle: WorkflowBundleWithSourceMap;
  dataConverter?: DataConverter;
  /** Per history, default 60 s. */
  timeoutMs?: number;
}): Promise<ReplayOutcome[]> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const outcomes: ReplayOutcome[] = [];
  const replay = (history: History, workflowId: string) =>
    withTimeout(
      Worker.runReplayHistory(
        {
          workflowBundle: opts.workflowBundle,
          replayName: 'personas-replay',
          ...(opts.dataConverter && { dataConverter: opts.dataConverter }),
        },
        history,
        workflowId,
      ),
      timeoutMs,
      `replaying ${workflowId}`,
    );
  for (const t of opts.targets) {
    const handle = opts.client.workflow.getHandle(t.workflowId, t.runId);
    const history = await handle.fetchHistory();
    // The run id comes from the history itself: describe() would decode the memo, which fails
    // (before anything is said) when the history is encrypted and this process has no key.
    const runId =
      t.runId ?? history.events?.[0]?.workflowExecutionStartedEventAttributes?.originalExecutionRunId ?? '';
    // Without the key the replayer cannot decode the payloads (and the SDK waits on them instead of
    // failing): say what is missing rather than hang.
    if (!opts.dataConverter && encodedWithCodec(history)) {
      outcomes.push({
        workflowId: t.workflowId,
        runId,
        ok: false,
        kind: 'error',
        message: 'history is encrypted with the payload codec: set PAYLOAD_CODEC_KEY to replay it',
      });
      continue;
    }
    try {
      await replay(history, t.workflowId);
      outcomes.push({ workflowId: t.workflowId, runId, ok: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const nondeterminism = err instanceof DeterminismViolationError;
      const event = nondeterminism
        ? await firstDivergingEvent(history, (h) =>
            replay(h, t.workflowId).then(
              () => true,
              () => false,
            ),
          )
        : undefined;
      outcomes.push({
        workflowId: t.workflowId,
        runId,
        ok: false,
        kind: nondeterminism ? 'nondeterminism' : 'error',
        ...(event && { event: describeEvent(event) }),
        message: nondeterminismReason(message),
      });
    }
  }
  return outcomes;
}
