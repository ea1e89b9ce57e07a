import pg from 'pg';
import { ArxError, UsageError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';

export const DEFAULT_POOL_SIZE = 10;

/** Lower-case identifiers only: the schema name is placed into `search_path` and DDL. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresTarget {
  databaseUrl: string;
  schema?: string;
  poolSize?: number;
}

/** DATABASE_URL without its password, for messages and `store.location`. */
export function redactUrl(databaseUrl: string): string {
  const url = parseUrl(databaseUrl);
  if (url.password) url.password = '';
  return url.toString();
}

export async function openPostgres(target: PostgresTarget): Promise<pg.Pool> {
  const url = parseUrl(target.databaseUrl);
  secrets.add(url.password);
  secrets.add(decodeURIComponent(url.password));
  if (target.schema !== undefined && !SCHEMA_NAME.test(target.schema)) {
    throw new UsageError(
      `Schema name "${target.schema}" is not allowed: use lower-case letters, digits and _ (at most 63, not starting with a digit).`,
    );
  }
  const pool = new pg.Pool({
    connectionString: target.databaseUrl,
    max: target.poolSize ?? DEFAULT_POOL_SIZE,
    application_name: 'arx',
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    if (target.schema) await createSchema(pool, target.schema);
    else await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw unreachable(target.databaseUrl, err);
  }
  return pool;
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists "${schema}"`);
  } catch (err) {
    // Two processes creating the same schema at once: one gets a unique violation, which is fine.
    const code = (err as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw err;
  }
}

/** Connection failures name the server and say what to check; the password never appears. */
function unreachable(databaseUrl: string, err: unknown): ArxError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const reason = secrets.scrub(message || code || 'connection failed');
  const hints: Record<string, string> = {
    '3D000': 'Create the database first (createdb), or fix the database name in DATABASE_URL.',
    '28P01': 'Check the user and password in DATABASE_URL.',
    '28000': 'Check the user in DATABASE_URL and the server pg_hba.conf.',
    ECONNREFUSED: 'Check that PostgreSQL is running and DATABASE_URL has the right host and port.',
    ENOTFOUND: 'Check the host name in DATABASE_URL.',
  };
  return new ArxError(
    'store_unreachable',
    `Cannot use PostgreSQL at ${redactUrl(databaseUrl)} (DATABASE_URL): ${reason}`,
    {
      fault: 'caller',
      retryable: code === 'ECONNREFUSED',
      hint: `${hints[code ?? ''] ?? 'Check DATABASE_URL.'} Unset DATABASE_URL to use the embedded store instead.`,
    },
  );
}

function parseUrl(databaseUrl: string): URL {
  try {
    const url = new URL(databaseUrl);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return url;
  } catch {
    // reported below
  }
  throw new UsageError(
    'DATABASE_URL is not a PostgreSQL URL: expected postgres://user:password@host:5432/database.',
  );
}
