import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { Migrator } from 'kysely/migration';
import { sha256Hex } from '../core/canonical.js';
import { ArxError } from '../core/errors.js';
import { MIGRATIONS, migrationProvider } from './migrations/index.js';

function migrator<DB>(db: Kysely<DB>, schema: string | undefined): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/**
 * Applies pending migrations in one transaction. On PostgreSQL Kysely holds an advisory lock meanwhile, so
 * processes starting together apply each migration once. Returns the names applied now.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, schema?: string): Promise<string[]> {
  const { error, results = [] } = await migrator(db, schema).migrateToLatest();
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /previously executed migration (\S+) is missing/i.exec(message)?.[1];
    if (unknown) {
      throw new ArxError(
        'store_newer',
        `The store was migrated by a newer Arx (migration ${unknown} is unknown to this version).`,
        {
          fault: 'caller',
          hint: 'Upgrade Arx, or point it at another store (ARX_HOME or DATABASE_URL).',
          cause: error,
        },
      );
    }
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new ArxError(
      'store_migration_failed',
      `Store migration ${failed ?? ''} failed: ${message}`.replace('  ', ' '),
      {
        fault: 'arx',
        cause: error,
      },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

export interface PlannedMigration {
  name: string;
  sql: string[];
}

/** The migrations not yet applied to `db`, with the SQL each would run (for review before upgrading). */
export async function planMigrations<DB>(db: Kysely<DB>, schema?: string): Promise<PlannedMigration[]> {
  const infos = await migrator(db, schema).getMigrations();
  const pending = infos.filter((info) => info.executedAt === undefined).map((info) => info.name);
  return Promise.all(pending.map(async (name) => ({ name, sql: await migrationSql(name) })));
}

/** The SQL a migration runs, captured by executing it against a driver that records and returns nothing. */
export async function migrationSql(name: string): Promise<string[]> {
  const migration = MIGRATIONS[name];
  if (!migration) throw new ArxError('store_migration_unknown', `No migration named ${name}.`);
  const captured: string[] = [];
  const recorder = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      captured.push(event.query.sql);
    },
  });
  await migration.up(recorder);
  await recorder.destroy();
  return captured;
}

/** A hash of every migration's SQL: changes whenever the schema a fresh store gets would change. */
export async function migrationsFingerprint(): Promise<string> {
  const parts: string[] = [];
  for (const name of Object.keys(MIGRATIONS).sort()) parts.push(name, ...(await migrationSql(name)));
  return sha256Hex(parts.join('\n'));
}
