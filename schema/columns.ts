import { timestamp } from 'drizzle-orm/pg-core';

/** created/updated pair every mutable table carries; timestamptz so timezones never get lost. */
export const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
