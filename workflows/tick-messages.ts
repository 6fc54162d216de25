import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { TickStatus } from './tick-types.ts';

// Pause and resume are signals, not updates: the caller (a person or `personas pause --all`) needs
// no answer from the tick and must not block on a tick that is mid-activity; the effect is visible
// through the status query.
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Live status: phase, round, actions so far, paused. */
export const statusQuery = defineQuery<TickStatus>('status');
