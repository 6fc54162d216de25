// The workflow bundle's entry point: every workflow the worker registers.
export { personaTick } from './persona-tick.ts';
