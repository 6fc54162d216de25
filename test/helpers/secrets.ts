// The tests' own secrets live in test/support (benchmarks use them too).
export * from '../support/secrets.ts';
