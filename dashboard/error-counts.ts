import { sql } from 'drizzle-orm';
import { ERROR_CLASSES, type ErrorClass } from '../schema/vocabulary.ts';
import { num } from './sql-values.ts';

/** Failed actions per error class, and those with none. */
export type ErrorCounts = Record<ErrorClass, number> & { unclassified: number };

/** The per-class error counts of persona_actions, as columns err_<class>. */
export const ERROR_CLASS_COLUMNS = sql.raw(
  [
    ...ERROR_CLASSES.map(
      (c) => `count(*) FILTER (WHERE outcome = 'error' AND error_class = '${c}')::int AS err_${c}`,
    ),
    `count(*) FILTER (WHERE outcome = 'error' AND error_class IS NULL)::int AS err_unclassified`,
  ].join(', '),
);

/** A row's err_<class> columns as ErrorCounts. */
export const errorCounts = (r: Record<string, unknown>): ErrorCounts => ({
  ...(Object.fromEntries(ERROR_CLASSES.map((c) => [c, num(r[`err_${c}`])])) as Record<ErrorClass, number>),
  unclassified: num(r.err_unclassified),
});
