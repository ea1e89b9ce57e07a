import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/load.js';
import { TestClock } from '../src/core/clock.js';
import { ConfigError } from '../src/core/errors.js';
import {
  planRegistrations,
  registrationsNotIn,
  storeRegistrations,
} from '../src/engine/scheduler/registration.js';
import { SchedulesRepo } from '../src/store/schedules-repo.js';
import { forEachStore, testStoreDrivers } from './support/stores.js';

/**
 * `arx register` as a library (both stores) and as a command (embedded store in a temp ARX_HOME). The workflow
 * is the engine tests' fixture folder, registered by path as a user's own workflow would be.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = './test/fixtures/workflows/ticketing';
/** A workflow folder on a real connector (Wiz), for the command. */
const CENSUS = 'test/fixtures/workflows/wiz-census';

function config(yaml: string) {
  return parseConfigText(yaml, { file: 'arx.yaml', env: {} }).config;
}

const twoSchedules = `
schedule:
  - { name: morning, workflow: ${FIXTURE}, cron: "0 9 * * 1-5", timezone: Europe/Berlin }
  - { name: night, workflow: ${FIXTURE}, cron: "30 2 * * *", timezone: America/New_York }
workflows:
  ticketing: { count: 4 }
`;

forEachStore('arx register', (openTestStore) => {
  const register = async (
    store: Awaited<ReturnType<typeof openTestStore>>,
    clock: TestClock,
    yaml: string,
  ) => {
    const plans = await planRegistrations({
      config: config(yaml),
      file: undefined,
      env: {},
      cwd: ROOT,
      connectors: ['tickets'],
    });
    return storeRegistrations(store.db, clock, plans, 'arx.yaml');
  };

  it('stores each workflow and schedule once, with time-zone aware next fire times', async () => {
    const clock = new TestClock('2026-03-27T12:00:00Z'); // a Friday, two days before Berlin's DST change
    const store = await openTestStore({ clock });
    const [registered] = await register(store, clock, twoSchedules);
    assert.equal(registered?.workflow, 'ticketing');
    assert.equal(registered?.changes.created, true);
    const schedules = await new SchedulesRepo(store.db).schedules();
    assert.deepEqual(
      schedules.map((s) => [s.name, s.nextFireAt?.toISOString()]),
      [
        ['morning', '2026-03-30T07:00:00.000Z'], // Monday 09:00 CEST
        ['night', '2026-03-28T06:30:00.000Z'], // 02:30 EDT
      ],
    );
    const registration = await new SchedulesRepo(store.db).registration('ticketing');
    assert.deepEqual(registration?.options, { count: 4 });
    assert.ok(registration?.source.endsWith('test/fixtures/workflows/ticketing'));
  });

  it('re-registering the same file changes nothing; a changed cron updates in place', async () => {
    const clock = new TestClock('2026-03-27T12:00:00Z');
    const store = await openTestStore({ clock });
    await register(store, clock, twoSchedules);
    const before = await new SchedulesRepo(store.db).schedules();
    clock.tick(60 * 60_000);
    const [again] = await register(store, clock, twoSchedules);
    assert.deepEqual(again?.changes, {
      created: false,
      schedulesAdded: [],
      schedulesUpdated: [],
      schedulesRemoved: [],
    });
    assert.deepEqual(await new SchedulesRepo(store.db).schedules(), before, 'rows untouched, next fire kept');

    const [changed] = await register(store, clock, twoSchedules.replace('30 2 * * *', '0 3 * * *'));
    assert.deepEqual(changed?.changes.schedulesUpdated, ['night']);
    const after = await new SchedulesRepo(store.db).schedules();
    assert.equal(after.length, 2, 'updated, not duplicated');
    assert.equal(
      after.find((s) => s.name === 'night')?.nextFireAt?.toISOString(),
      '2026-03-28T07:00:00.000Z',
    );
  });

  it('removes a schedule dropped from the file, and prunes workflows only when asked', async () => {
    const clock = new TestClock('2026-03-27T12:00:00Z');
    const store = await openTestStore({ clock });
    await register(store, clock, twoSchedules);
    const oneLeft = `schedule:\n  - { name: night, workflow: ${FIXTURE}, cron: "30 2 * * *" }\n`;
    const [result] = await register(store, clock, oneLeft);
    assert.deepEqual(result?.changes.schedulesRemoved, ['morning']);
    assert.deepEqual(
      (await new SchedulesRepo(store.db).schedules()).map((s) => s.name),
      ['night'],
    );

    assert.deepEqual(await registrationsNotIn(store.db, [], false), ['ticketing']);
    assert.equal((await new SchedulesRepo(store.db).registrations()).length, 1, 'kept without --prune');
    await registrationsNotIn(store.db, [], true);
    assert.deepEqual(await new SchedulesRepo(store.db).registrations(), []);
    assert.deepEqual(await new SchedulesRepo(store.db).schedules(), [], 'its schedules went with it');
  });
});

describe('arx register: mistakes', () => {
  it('names every problem with its path: unknown workflow, bad option, duplicate schedule name', async () => {
    const yaml = `
schedule:
  - { name: a, workflow: wiz-finding-distributon, cron: "0 * * * *" }
  - { name: b, workflow: ${FIXTURE}, cron: "0 * * * *" }
  - { name: b, workflow: ${FIXTURE}, cron: "0 6 * * *" }
workflows:
  ticketing: { count: -1, colour: red }
`;
    await assert.rejects(
      planRegistrations({
        config: config(yaml),
        file: 'arx.yaml',
        env: {},
        cwd: ROOT,
        connectors: ['tickets'],
      }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        const paths = err.issues.map((issue) => issue.path).sort();
        assert.deepEqual(paths, [
          'schedule[0].workflow',
          'schedule[2].name',
          'workflows.ticketing.colour',
          'workflows.ticketing.count',
        ]);
        return true;
      },
    );
  });
});

describe('arx register (command)', { skip: !testStoreDrivers().includes('pglite') }, () => {
  it('registers from a file, prints next fire times, and is idempotent when run again', () => {
    const home = mkdtempSync(join(tmpdir(), 'arx-register-'));
    try {
      const file = join(home, 'arx.yaml');
      writeFileSync(
        file,
        `schedule:\n  - { workflow: ${join(ROOT, CENSUS)}, cron: "0 */4 * * *", timezone: Europe/Berlin }\n`,
      );
      const run = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
          env: { ...process.env, ARX_HOME: join(home, '.arx'), DATABASE_URL: '' },
          encoding: 'utf8',
        });
      const first = run('register', '--config', file);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /registered 1 workflow/);
      assert.match(first.stdout, /wiz-census .*: new/);
      assert.match(
        first.stdout,
        /"0 \*\/4 \* \* \*" Europe\/Berlin; next \d{4}-\d\d-\d\d \d\d:00 Europe\/Berlin/,
      );

      const second = run('register', '--config', file, '--json');
      assert.equal(second.status, 0, second.stderr);
      const json = JSON.parse(second.stdout) as {
        workflows: Array<{ changes: { created: boolean; schedulesAdded: string[] }; schedules: unknown[] }>;
      };
      assert.equal(json.workflows.length, 1);
      assert.equal(json.workflows[0]?.changes.created, false);
      assert.deepEqual(json.workflows[0]?.changes.schedulesAdded, []);
      assert.equal(json.workflows[0]?.schedules.length, 1);

      const bad = run('register', '--config', join(home, 'missing.yaml'));
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /missing\.yaml/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
