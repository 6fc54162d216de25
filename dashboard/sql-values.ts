// Column values as node-postgres returns them (numeric as strings, nulls), made plain.
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const iso = (epochMs: unknown): string => new Date(Number(epochMs)).toISOString();
export const round = (v: number, digits = 2) => Number(v.toFixed(digits));
