import type { ValueTransformer } from 'typeorm';

/**
 * Byte counts are `bigint` columns (files past 2 GiB fit); PostgreSQL hands 64-bit integers back as strings, SQLite
 * as numbers: both become numbers here (exact up to 8 PiB).
 */
export const BIGINT_NUMBER: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? value : Number(value)),
};
