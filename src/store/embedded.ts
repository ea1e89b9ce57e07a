import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ArxError } from '../core/errors.js';

/** The PostgreSQL data directory inside ARX_HOME. */
export const DATA_DIR = 'pgdata';

export interface EmbeddedConnection {
  pglite: PGlite;
  pool: pg.Pool;
}

/**
 * Starts PGlite (PostgreSQL in WASM) and wraps it in a pg.Pool through PGlite's node-postgres shim, so the
 * rest of the store has one code path. PGlite is imported here, on demand: loading it costs seconds and
 * hundreds of MB, which commands that never touch the store must not pay.
 */
export async function openEmbedded(
  where: ({ home: string } | { memory: true }) & { snapshot?: Blob },
): Promise<EmbeddedConnection> {
  const [{ PGlite }, { createPgConfig }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
  ]);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...('home' in where ? { dataDir: join(resolve(where.home), DATA_DIR) } : {}),
      ...(where.snapshot ? { loadDataDir: where.snapshot } : {}),
    });
  } catch (err) {
    const place = 'home' in where ? join(where.home, DATA_DIR) : 'memory';
    throw new ArxError(
      'store_open_failed',
      `Could not open the embedded store at ${place}: ${describe(err)}`,
      {
        fault: 'arx',
        hint: 'If the directory was written by another program or a newer Arx, move it aside and run again.',
        cause: err,
      },
    );
  }
  // The shim speaks the pg wire protocol in process; it allows one connection (PGlite has one backend).
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  return { pglite, pool };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
