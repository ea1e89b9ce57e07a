import type { Migration, MigrationProvider } from 'kysely/migration';
import * as core from './0001_core.js';
import * as governance from './0002_governance.js';
import * as schedules from './0003_schedules.js';

/**
 * Every migration, in order. Names sort lexically and are recorded in `kysely_migration`: never rename
 * or edit an applied one; add a new file and one line here.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_core': core,
  '0002_governance': governance,
  '0003_schedules': schedules,
});

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
