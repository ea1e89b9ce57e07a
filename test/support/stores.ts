import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Clock } from '../../src/core/clock.js';
import { migrationsFingerprint } from '../../src/store/migrate.js';
import { openStore, type Store, type StoreDriver } from '../../src/store/open.js';

/**
 * Store suites run on every driver listed in ARX_TEST_STORES (`pglite`, `postgres`; see scripts/test.mjs).
 *
 *   forEachStore('findings repository', (openTestStore) => {
 *     it('upserts', async () => { const store = await openTestStore(); ... });
 *   });
 *
 * Each `openTestStore()` is a fresh, migrated, empty store, closed after the test. On PostgreSQL that is a
 * new schema `arx_t_<random>` on DATABASE_URL, dropped on close. On PGlite it is an in-memory instance
 * loaded from a migrated snapshot (initdb costs seconds, loading a snapshot a fraction of one); the
 * snapshot is cached in the OS temp dir, keyed by the migrations' SQL and the PGlite version.
 */
export interface TestStoreOptions {
  clock?: Clock;
}
export type OpenTestStore = (options?: TestStoreOptions) => Promise<Store>;

const DRIVERS: readonly StoreDriver[] = ['pglite', 'postgres'];

/** The drivers this test process runs store suites on. */
export function testStoreDrivers(env: NodeJS.ProcessEnv = process.env): StoreDriver[] {
  const listed = (env.ARX_TEST_STORES ?? (env.DATABASE_URL ? 'pglite,postgres' : 'pglite'))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of listed) {
    if (!DRIVERS.includes(name as StoreDriver)) {
      throw new Error(`ARX_TEST_STORES lists "${name}": allowed are ${DRIVERS.join(', ')}`);
    }
  }
  if (listed.includes('postgres') && !env.DATABASE_URL) {
    throw new Error('ARX_TEST_STORES lists postgres but DATABASE_URL is not set');
  }
  return DRIVERS.filter((driver) => listed.includes(driver));
}

/** Registers `body` once per driver, each inside its own `describe`, closing the stores each test opened. */
export function forEachStore(
  title: string,
  body: (openTestStore: OpenTestStore, driver: StoreDriver) => void,
): void {
  for (const driver of testStoreDrivers()) {
    describe(`${title} [${driver}]`, () => {
      const opened: Store[] = [];
      afterEach(async () => {
        await Promise.all(opened.splice(0).map((store) => store.close()));
      });
      body(async (options = {}) => {
        const store = await openTestStore(driver, options);
        opened.push(store);
        return store;
      }, driver);
    });
  }
}

/** A fresh migrated store on `driver`; the caller closes it. */
export async function openTestStore(driver: StoreDriver, options: TestStoreOptions = {}): Promise<Store> {
  const clock = options.clock ? { clock: options.clock } : {};
  if (driver === 'pglite') {
    // The snapshot is keyed by the migrations' SQL, so it is up to date: skip the migration check (~80 ms).
    return openStore({ memory: true, snapshot: await embeddedSnapshot(), migrate: false, ...clock });
  }
  const schema = `arx_t_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL!, schema, poolSize: 4, ...clock });
  const close = store.close;
  return Object.assign(store, {
    close: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db).catch(() => {});
      await close();
    },
  });
}

let snapshot: Promise<Blob> | undefined;

/** A migrated, empty PGlite data directory: built once per process, or read from the temp-dir cache. */
export function embeddedSnapshot(): Promise<Blob> {
  snapshot ??= loadOrBuildSnapshot();
  return snapshot;
}

async function loadOrBuildSnapshot(): Promise<Blob> {
  const file = join(
    tmpdir(),
    `arx-test-store-${pgliteVersion()}-${(await migrationsFingerprint()).slice(0, 16)}.tar`,
  );
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // not cached yet
  }
  const store = await openStore({ memory: true });
  try {
    const dump = await store.pglite!.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // Written under a unique name, then renamed: parallel test processes never read half a file.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, bytes);
    renameSync(temp, file);
    return new Blob([bytes]);
  } finally {
    await store.close();
  }
}

function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  let dir = dirname(entry);
  for (let depth = 0; depth < 4; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
