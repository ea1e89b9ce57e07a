import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { forEachStore, testStoreDrivers } from '../../test/support/stores.js';
import { migrateToLatest, planMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { openStore } from './open.js';

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
    const findings = tables.find((table) => table.name === 'findings');
    assert.ok(findings?.columns.some((column) => column.name === 'finding_key' && !column.isNullable));
    assert.ok(!names.includes('kysely_migration'), 'internal tables are listed only when asked');
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

  it('plans the SQL of migrations not yet applied, without applying them', async () => {
    const store = await openTestStore();
    await sql`delete from kysely_migration where name = '0001_core'`.execute(store.db);
    const plan = await planMigrations(store.db, store.schema);
    assert.deepEqual(
      plan.map((step) => step.name),
      ['0001_core'],
    );
    assert.ok(plan[0]!.sql.some((statement) => /^create table findings \(/.test(statement)));
    assert.ok(
      plan[0]!.sql.some((statement) =>
        statement.includes("check (\"state\" in ('pending', 'done', 'failed'))"),
      ),
    );
    const findings = await sql<{ n: string }>`select count(*) as n from findings`.execute(store.db);
    assert.equal(Number(findings.rows[0]!.n), 0, 'planning touched nothing');
  });

  it('refuses a store migrated by a newer Arx, naming the unknown migration', async () => {
    const store = await openTestStore();
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01')`.execute(
      store.db,
    );
    await assert.rejects(migrateToLatest(store.db, store.schema), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'store_newer');
      assert.match(err.message, /9999_from_the_future/);
      return true;
    });
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

// forEachStore: this file runs in the PostgreSQL pass (scripts/test.mjs picks files that name it)
describe('migrating while another process drops its own schema', {
  skip: !testStoreDrivers().includes('postgres') && 'PostgreSQL only (set DATABASE_URL)',
}, () => {
  it('still opens: Kysely looks for its migration table in our schema only', async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    let churning = true;
    // another deployment's schema, created and dropped over and over while we open
    const churn = (async () => {
      while (churning) {
        const other = `arx_t_other_${randomBytes(4).toString('hex')}`;
        // several tables: the introspection may list one and find it gone ("relation … does not exist")
        const tables = Array.from(
          { length: 20 },
          (_, t) => `create table ${other}.t${t} (id serial primary key);`,
        );
        await admin.query(`create schema ${other}; ${tables.join(' ')}`);
        await admin.query(`drop schema ${other} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 6; i++) {
        const schema = `arx_t_${randomBytes(6).toString('hex')}`;
        const store = await openStore({ databaseUrl, schema });
        try {
          assert.deepEqual(store.migrated, Object.keys(MIGRATIONS));
        } finally {
          await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
          await store.close();
        }
      }
    } finally {
      churning = false;
      await churn;
      await admin.end();
    }
  });
});

// forEachStore: this file runs in the PostgreSQL pass (scripts/test.mjs picks files that name it)
describe('introspecting a database shared with other deployments', {
  skip: !testStoreDrivers().includes('postgres') && 'PostgreSQL only (set DATABASE_URL)',
}, () => {
  it("lists the store's own tables, not another schema's, and migrates beside another's migration table", async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const other = `arx_t_other_${randomBytes(4).toString('hex')}`;
    const schema = `arx_t_${randomBytes(6).toString('hex')}`;
    await admin.query(`create schema ${other}; create table ${other}.kysely_migration (name text primary key);
      create table ${other}.foreign_thing (id int)`);
    try {
      const store = await openStore({ databaseUrl, schema });
      try {
        assert.deepEqual(store.migrated, Object.keys(MIGRATIONS));
        const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
        assert.ok(tables.every((table) => table.schema === schema));
        assert.ok(!tables.some((table) => table.name === 'foreign_thing'));
        assert.ok(tables.some((table) => table.name === 'kysely_migration'));
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
        await store.close();
      }
    } finally {
      await admin.query(`drop schema ${other} cascade`);
      await admin.end();
    }
  });
});
