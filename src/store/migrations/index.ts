import type { Migration, MigrationProvider } from 'kysely/migration';
import * as core from './0001_core.js';
import * as governance from './0002_governance.js';

/**
 * Every migration, in order. Names sort lexically and are recorded in `kysely_migration`: never rename
 * or edit an applied one; add a new file and one line here.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_core': core,
  '0002_governance': governance,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
