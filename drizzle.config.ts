import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this (it needs no database); migrations are applied by
// `personas migrate` and automatically on start, against DATABASE_URL or the embedded Postgres.
export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/index.ts',
  out: './schema/migrations',
});
