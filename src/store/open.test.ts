import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { embeddedSnapshot, testStoreDrivers } from '../../test/support/stores.js';
import { lockPath, readStoreLock } from './lock.js';
import { MIGRATIONS } from './migrations/index.js';
import { openStore } from './open.js';
import { defaultOwner, storeOptionsFromEnv } from './options.js';
import { WatermarksRepo } from './watermarks-repo.js';

const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'arx-open-'));
  homes.push(home);
  return home;
}

/** Runs a TypeScript snippet in a fresh process (under tsx) and returns its stdout. */
function runChild(code: string): string {
  const script = join(tempHome(), 'child.mts');
  writeFileSync(script, code);
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** Starts a TypeScript snippet in a second process; resolves its first stdout line as JSON. */
function spawnChild(code: string): { proc: ChildProcess; firstLine: Promise<unknown> } {
  const script = join(tempHome(), 'child.mts');
  writeFileSync(script, code);
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    proc.once('exit', (status) => reject(new Error(`child exited (${status}) before reporting`)));
  });
  return { proc, firstLine };
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

const moduleUrl = (file: string) => pathToFileURL(new URL(file, import.meta.url).pathname).href;

describe('store options from the environment', () => {
  it('uses the embedded store under ./.arx unless told otherwise', () => {
    assert.deepEqual(storeOptionsFromEnv({}), { home: './.arx' });
    assert.deepEqual(storeOptionsFromEnv({ ARX_HOME: '/var/lib/arx', DATABASE_URL: ' ' }), {
      home: '/var/lib/arx',
    });
    assert.deepEqual(storeOptionsFromEnv({ DATABASE_URL: 'postgres://db/arx' }), {
      home: './.arx',
      databaseUrl: 'postgres://db/arx',
    });
  });

  it('labels the lock with the command words and never with flag values', () => {
    assert.equal(
      defaultOwner(['node', 'arx', 'run', 'wiz-findings', '--token', 's3cr3t']),
      'arx run wiz-findings',
    );
    assert.equal(defaultOwner(['node', 'arx', '--json', 'serve']), 'arx');
  });
});

describe('opening the embedded store', () => {
  // One on-disk store for the whole story: initdb on disk costs several seconds.
  it('is owned by one process; when the owner is killed -9 the next takes over with every write kept', async () => {
    const home = tempHome();
    const owner = spawnChild(
      `import { openStore } from ${JSON.stringify(moduleUrl('./open.ts'))};
       import { WatermarksRepo } from ${JSON.stringify(moduleUrl('./watermarks-repo.ts'))};
       const store = await openStore({ home: ${JSON.stringify(home)}, owner: 'arx run chaos' });
       const marks = new WatermarksRepo(store.db);
       await marks.set('wiz', 'acknowledged');
       await marks.set('counter', '0'); // acknowledged before the parent hears from us
       console.log(JSON.stringify({ driver: store.driver, migrated: store.migrated }));
       for (let i = 1; ; i++) await marks.set('counter', String(i)); // still writing when killed`,
    );
    try {
      assert.deepEqual(await owner.firstLine, { driver: 'pglite', migrated: Object.keys(MIGRATIONS) });
      await assert.rejects(openStore({ home }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'store_locked');
        assert.match(err.message, new RegExp(`in use by "arx run chaos" \\(pid ${owner.proc.pid}, since `));
        return true;
      });
    } finally {
      owner.proc.kill('SIGKILL');
      await exited(owner.proc);
    }
    assert.equal(readStoreLock(home)?.pid, owner.proc.pid, 'kill -9 leaves the lock behind');

    const store = await openStore({ home, owner: 'arx serve' });
    try {
      assert.deepEqual(store.migrated, [], 'already migrated');
      assert.equal(readStoreLock(home)?.command, 'arx serve');
      const marks = new WatermarksRepo(store.db);
      assert.equal(await marks.get('wiz'), 'acknowledged');
      assert.match((await marks.get('counter')) ?? '', /^\d+$/);
    } finally {
      await store.close();
    }
    assert.equal(existsSync(lockPath(home)), false, 'released on close');
  });

  it('in memory writes nothing to disk and takes no lock', async () => {
    const home = tempHome();
    const store = await openStore({ memory: true, home, snapshot: await embeddedSnapshot(), migrate: false });
    await store.close();
    assert.deepEqual(readdirSync(home), []);
  });

  it('is not loaded for PostgreSQL or by importing the store (PGlite costs seconds and ~0.8 GB)', () => {
    const output = runChild(
      `import { registerHooks } from 'node:module';
       const seen: string[] = [];
       registerHooks({ resolve(specifier, context, next) { if (specifier.includes('@electric-sql/pglite')) seen.push(specifier); return next(specifier, context); } });
       const { openStore } = await import(${JSON.stringify(moduleUrl('./open.ts'))});
       await openStore({ databaseUrl: 'postgres://127.0.0.1:1/x' }).catch(() => {});
       console.log(JSON.stringify(seen));`,
    );
    assert.equal(output, '[]');
  });
});

describe('store configuration mistakes', () => {
  it('asks for one store when given both memory and a database URL', async () => {
    await assert.rejects(openStore({ memory: true, databaseUrl: 'postgres://x/y' }), { code: 'usage' });
    await assert.rejects(openStore({ memory: true, schema: 'x' }), /PostgreSQL only/);
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL without echoing it', async () => {
    await assert.rejects(
      openStore({ databaseUrl: 'mysql://root:hunter22@db/x' }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'usage');
        assert.doesNotMatch(err.message, /hunter22/);
        return true;
      },
    );
  });

  it('names an unreachable server without its password', async () => {
    const url = 'postgres://arx:pw-not-shown@127.0.0.1:1/arx';
    await assert.rejects(openStore({ databaseUrl: url }), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'store_unreachable');
      assert.match(err.message, /127\.0\.0\.1:1/);
      assert.doesNotMatch(`${err.message} ${err.hint}`, /pw-not-shown/);
      assert.match(err.hint ?? '', /running/);
      return true;
    });
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await assert.rejects(openStore({ databaseUrl: 'postgres://127.0.0.1:1/x', schema: 'a; drop table x' }), {
      code: 'usage',
    });
  });
});

const postgres = testStoreDrivers().includes('postgres');
if (postgres) {
  describe('opening PostgreSQL', () => {
    const databaseUrl = process.env.DATABASE_URL!;

    it('applies migrations once when several processes open a fresh database at once', async () => {
      const schema = `arx_t_${randomBytes(6).toString('hex')}`;
      const stores = await Promise.all(
        Array.from({ length: 6 }, () => openStore({ databaseUrl, schema, poolSize: 2 })),
      );
      try {
        const migrated = stores.map((store) => store.migrated.length);
        assert.deepEqual(
          migrated.filter((n) => n > 0),
          [Object.keys(MIGRATIONS).length],
          'exactly one opener applied the migrations',
        );
        const rows = await sql<{ n: string }>`select count(*) as n from kysely_migration`.execute(
          stores[0]!.db,
        );
        assert.equal(Number(rows.rows[0]!.n), Object.keys(MIGRATIONS).length);
        for (const store of stores) await new WatermarksRepo(store.db).set('s', 'v');
      } finally {
        await sql`drop schema ${sql.id(schema)} cascade`.execute(stores[0]!.db);
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('says to create the database when it does not exist', async () => {
      const url = new URL(databaseUrl);
      url.pathname = `/arx_missing_${randomBytes(4).toString('hex')}`;
      await assert.rejects(
        openStore({ databaseUrl: url.toString() }),
        (err: Error & { code?: string; hint?: string }) => {
          assert.equal(err.code, 'store_unreachable');
          assert.match(err.hint ?? '', /createdb/);
          return true;
        },
      );
    });
  });
}
