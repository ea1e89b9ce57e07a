import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { UsageError } from '../core/errors.js';
import type { Database } from './database.js';

/** A repository works on the store's Kysely instance or inside a caller's transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** jsonb parameters are passed as JSON text: node-postgres would send a JS array as a PostgreSQL array. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Runs `work` in a transaction, or directly when `db` already is one (Kysely has no nested transactions). */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * `select <columns> from jsonb_to_recordset($1)`: a whole batch of rows as ONE parameter. Through PGlite's
 * pg shim this is about 3× faster than multi-row VALUES with a parameter per cell, and equal on PostgreSQL.
 * `columns` maps each column to its SQL type, in the order of the INSERT's column list.
 */
export function recordset(
  columns: Readonly<Record<string, string>>,
  rows: readonly object[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  const definitions = sql.join(names.map((name) => sql`${sql.id(name)} ${sql.raw(columns[name]!)}`));
  return sql`select ${sql.join(names.map((name) => sql.id(name)))} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as batch(${definitions})`;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/** Keyset pagination cursors are opaque to callers: the sort values of the last row, base64url JSON. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // reported below
  }
  throw new UsageError(
    'The page cursor is not valid: pass the `next` value returned with the previous page.',
  );
}

/** Page size limits: a caller asking for more gets the maximum, never an unbounded scan. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`limit must be a positive integer, got ${limit}.`);
  return Math.min(limit, MAX_PAGE_SIZE);
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}
