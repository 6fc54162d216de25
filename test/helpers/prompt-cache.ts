// Moved to test/support (shared with the benchmarks); this path stays for existing imports.
export * from '../support/prompt-cache.ts';
