import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throwaway PostgreSQL database for one measurement: created on the server DATABASE_URL names (or a
 * local server at postgres://postgres@127.0.0.1:5432), dropped afterwards. An unreachable server is a
 * skip with the reason, never a failure: the embedded store's figures stand on their own.
 */
export const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase<T> = { ran: true; value: T } | { ran: false; skipped: string };

export async function withBenchDatabase<T>(
  body: (databaseUrl: string) => Promise<T>,
  serverUrl: string = process.env.DATABASE_URL?.trim() || DEFAULT_SERVER,
): Promise<BenchDatabase<T>> {
  const name = `arx_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (err) {
    await admin.end().catch(() => {});
    return { ran: false, skipped: `PostgreSQL at ${redact(serverUrl)} unusable: ${(err as Error).message}` };
  }
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { ran: true, value: await body(url.toString()) };
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
