import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type pg from 'pg';
import { type Clock, systemClock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import type { Database } from './database.js';
import { DATA_DIR } from './embedded.js';
import { acquireStoreLock, type StoreLock } from './lock.js';
import { migrateToLatest } from './migrate.js';
import { DEFAULT_HOME, defaultOwner, type StoreOptions } from './options.js';
import { StoreDialect } from './schema-introspector.js';

export type StoreDriver = 'pglite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly driver: StoreDriver;
  /** Where the data is, for people: `./.arx`, `memory`, or the PostgreSQL URL without password. */
  readonly location: string;
  readonly clock: Clock;
  /** The PostgreSQL schema holding the tables when one was asked for. */
  readonly schema: string | undefined;
  /** Migrations applied by this open; empty when the store was up to date. */
  readonly migrated: readonly string[];
  /** The pool under Kysely (the queue library can share it). On PGlite it has one connection. */
  readonly pool: pg.Pool;
  /** The PGlite instance of the embedded store (pg-boss `fromPglite`, dumps). */
  readonly pglite: PGlite | undefined;
  /** The embedded store's lock (undefined in memory and on PostgreSQL). */
  readonly lock: StoreLock | undefined;
  close(): Promise<void>;
}

/**
 * Opens the store: PostgreSQL when `databaseUrl` is given, otherwise the embedded PGlite store under
 * `home` (locked to this process) or in memory. Both run the same SQL through Kysely over a pg.Pool, and
 * pending migrations are applied before this returns.
 *
 * On PGlite the pool has a single connection: inside `db.transaction()`, use the transaction object only,
 * or the query waits for a connection that never frees up.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.memory && options.databaseUrl) {
    throw new UsageError(
      'Choose one store: `memory` (embedded, in memory) or `databaseUrl` (PostgreSQL), not both.',
    );
  }
  const clock = options.clock ?? systemClock;
  if (options.databaseUrl) return openOnPostgres({ ...options, databaseUrl: options.databaseUrl }, clock);
  return openEmbeddedStore(options, clock);
}

async function openOnPostgres(options: StoreOptions & { databaseUrl: string }, clock: Clock): Promise<Store> {
  const { openPostgres, redactUrl } = await import('./postgres.js');
  const pool = await openPostgres({
    databaseUrl: options.databaseUrl,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.poolSize ? { poolSize: options.poolSize } : {}),
  });
  const location = redactUrl(options.databaseUrl) + (options.schema ? ` (schema ${options.schema})` : '');
  return finishOpen({ driver: 'postgres', pool, location, clock, options });
}

async function openEmbeddedStore(options: StoreOptions, clock: Clock): Promise<Store> {
  if (options.schema) {
    throw new UsageError(
      '`schema` applies to PostgreSQL only; the embedded store keeps its tables in public.',
    );
  }
  const { openEmbedded } = await import('./embedded.js');
  if (options.memory) {
    const { pglite, pool } = await openEmbedded({
      memory: true,
      ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    });
    return finishOpen({ driver: 'pglite', pool, pglite, location: 'memory', clock, options });
  }
  const home = options.home ?? DEFAULT_HOME;
  const lock = acquireStoreLock(home, { command: options.owner ?? defaultOwner(), displayPath: home, clock });
  try {
    if (options.discardExisting) rmSync(join(home, DATA_DIR), { recursive: true, force: true });
    const { pglite, pool } = await openEmbedded({
      home,
      ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    });
    return await finishOpen({ driver: 'pglite', pool, pglite, lock, location: home, clock, options });
  } catch (err) {
    lock.release();
    throw err;
  }
}

interface Opened {
  driver: StoreDriver;
  pool: pg.Pool;
  pglite?: PGlite;
  lock?: StoreLock;
  location: string;
  clock: Clock;
  options: StoreOptions;
}

async function finishOpen(opened: Opened): Promise<Store> {
  const db = new Kysely<Database>({ dialect: new StoreDialect({ pool: opened.pool }) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await db.destroy();
      await opened.pglite?.close();
    } finally {
      opened.lock?.release();
    }
  };
  try {
    const schema = opened.driver === 'postgres' ? opened.options.schema : undefined;
    const migrated = opened.options.migrate === false ? [] : await migrateToLatest(db, schema);
    return {
      db,
      driver: opened.driver,
      location: opened.location,
      clock: opened.clock,
      schema,
      migrated,
      pool: opened.pool,
      pglite: opened.pglite,
      lock: opened.lock,
      close,
    };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
