import type { Clock } from '../core/clock.js';

/** Where the embedded store lives when ARX_HOME is not set: next to the project, like `.git`. */
export const DEFAULT_HOME = './.arx';

export interface StoreOptions {
  /** ARX_HOME: the embedded store keeps its data and lock file here. Default `./.arx`. */
  home?: string;
  /** DATABASE_URL: use this PostgreSQL database instead of the embedded store. */
  databaseUrl?: string;
  /** Embedded store in memory: no files, no lock, gone on close (tests, throwaway runs). */
  memory?: boolean;
  /** PostgreSQL only: keep every table in this schema (created if missing), for isolation. */
  schema?: string;
  /** Who holds the embedded store, shown to a second process: `arx serve`, `arx run <workflow>`. */
  owner?: string;
  clock?: Clock;
  /** Apply pending migrations on open (default true). `false` opens as is, e.g. to print the plan. */
  migrate?: boolean;
  /**
   * Embedded only: start from a dumped data directory (PGlite `dumpDataDir`) instead of initdb. On disk it
   * applies to a new data directory only (with `discardExisting`, or a home that has none yet).
   */
  snapshot?: Blob;
  /**
   * Embedded on disk only: once the lock is held, delete the existing data and start empty. For stores whose
   * data means nothing past one process (the in-process sandbox's ledger points at emulator state that died).
   */
  discardExisting?: boolean;
  /** PostgreSQL only: connections in the pool (default 10). */
  poolSize?: number;
}

/** The store the environment asks for: DATABASE_URL selects PostgreSQL, ARX_HOME places the embedded one. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL?.trim();
  const home = env.ARX_HOME?.trim();
  return {
    home: home || DEFAULT_HOME,
    ...(databaseUrl ? { databaseUrl } : {}),
  };
}

/**
 * The default lock label: `arx` and the leading command words (`arx run wiz-findings`). Stops at the first
 * flag so that flag values, which may be secrets, are never written to the lock file. Commands that know
 * better pass `owner`.
 */
export function defaultOwner(argv: readonly string[] = process.argv): string {
  const words: string[] = [];
  for (const arg of argv.slice(2, 5)) {
    if (!/^[a-z][\w:.-]*$/i.test(arg)) break;
    words.push(arg);
  }
  return ['arx', ...words].join(' ');
}
