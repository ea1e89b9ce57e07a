import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { forEachStore } from '../../test/support/stores.js';
import { migrateToLatest, planMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

const CORE_TABLES = [
  'effects',
  'finding_sources',
  'findings',
  'kv',
  'quarantine',
  'runs',
  'sink_links',
  'steps',
  'watermarks',
];

forEachStore('store migrations', (openTestStore) => {
  it('creates every core table and records every migration', async () => {
    const store = await openTestStore();
    const tables = await store.db.introspection.getTables();
    const names = tables.map((table) => table.name);
    for (const table of CORE_TABLES) assert.ok(names.includes(table), `missing table ${table}`);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      store.db,
    );
    assert.deepEqual(
      applied.rows.map((row) => row.name),
      Object.keys(MIGRATIONS).sort(),
    );
  });

  it('has nothing left to apply or plan once open', async () => {
    const store = await openTestStore();
    assert.deepEqual(await migrateToLatest(store.db, store.schema), []);
    assert.deepEqual(await planMigrations(store.db, store.schema), []);
  });

  it('rejects a status the code does not know (CHECK from the shared constants)', async () => {
    const store = await openTestStore();
    const at = store.clock.now();
    await assert.rejects(
      sql`insert into effects (key, state, operation, created_at, updated_at) values ('k', 'maybe', 'op', ${at}, ${at})`.execute(
        store.db,
      ),
      /check constraint/,
    );
  });
});
