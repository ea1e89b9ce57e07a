import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { TestClock } from '../src/core/clock.js';
import type { PreparedRun } from '../src/engine/scheduler/run-requests.js';
import { type Fire, Scheduler } from '../src/engine/scheduler/scheduler.js';
import { createLogger } from '../src/log/logger.js';
import { openStore, type Store } from '../src/store/open.js';
import { RunsRepo } from '../src/store/runs-repo.js';
import { type ScheduleInput, SchedulesRepo } from '../src/store/schedules-repo.js';
import { RUN_STATUSES } from '../src/store/statuses.js';
import { forEachStore, testStoreDrivers } from './support/stores.js';
import { ticketingWorkflow } from './support/ticketing-workflow.js';

/**
 * The scheduler on a TestClock: time only moves when the test says, and each `tick()` fires what is due at
 * that instant. The last suite runs two schedulers against one PostgreSQL schema, racing on every
 * occurrence of a per-second cron: each occurrence must be fired exactly once between them.
 */
const quiet = createLogger({ level: 'silent' });
const workflow = ticketingWorkflow();
const prepared: PreparedRun = { workflow, options: { count: 1, close: [] } };
const T0 = '2026-03-28T23:59:58Z';

function newScheduler(store: Pick<Store, 'db'>, clock: TestClock, dispatched: string[] = []) {
  return new Scheduler({
    db: store.db,
    clock,
    log: quiet,
    prepare: async (name) => {
      if (name !== 'ticketing') throw new Error(`the workflow ${name} is not registered`);
      return prepared;
    },
    dispatch: async (run) => void dispatched.push(run.runId),
  });
}

async function registerSchedule(
  store: Pick<Store, 'db'>,
  clock: TestClock,
  schedule: Partial<ScheduleInput> = {},
) {
  await new SchedulesRepo(store.db, clock).register({
    name: 'ticketing',
    source: 'builtin',
    description: 'test',
    connectors: ['tickets'],
    options: {},
    configFile: null,
    schedules: [
      {
        name: 'hourly',
        cron: '0 * * * *',
        timezone: 'UTC',
        enabled: true,
        nextFireAt: new Date('2026-03-29T00:00:00Z'),
        ...schedule,
      },
    ],
  });
}

/** What a worker would do: finish every queued run, so the next fire is not skipped as overlapping. */
async function finishQueuedRuns(store: Pick<Store, 'db'>): Promise<void> {
  const runs = new RunsRepo(store.db);
  for (const run of await runs.unfinished()) await runs.setStatus(run.id, RUN_STATUSES.succeeded);
}

forEachStore('scheduler', (openTestStore) => {
  it('fires nothing before the occurrence and one queued run at it, with the options and the trigger', async () => {
    const clock = new TestClock(T0);
    const store = await openTestStore({ clock });
    await registerSchedule(store, clock);
    const dispatched: string[] = [];
    const scheduler = newScheduler(store, clock, dispatched);
    assert.deepEqual(await scheduler.tick(), [], 'not due yet');
    clock.tick(2_000);
    const [fire, ...more] = await scheduler.tick();
    assert.equal(more.length, 0);
    assert.equal(fire?.fireAt, '2026-03-29T00:00:00.000Z');
    const run = await new RunsRepo(store.db).get(fire!.runId!);
    assert.ok(run);
    assert.equal(run.status, 'queued');
    assert.deepEqual((run.params as { options: unknown }).options, prepared.options);
    assert.deepEqual((run.params as { trigger: unknown }).trigger, {
      kind: 'schedule',
      by: 'hourly',
      fireAt: '2026-03-29T00:00:00.000Z',
    });
    assert.deepEqual(dispatched, [fire!.runId]);
    assert.deepEqual(await scheduler.tick(), [], 'the same occurrence never fires twice');
    const [stored] = await new SchedulesRepo(store.db).schedules();
    assert.equal(stored?.nextFireAt?.toISOString(), '2026-03-29T01:00:00.000Z');
    assert.equal(stored?.lastRunId, fire!.runId);
  });

  it('after a day down, fires once for the latest occurrence and then keeps the cadence', async () => {
    const clock = new TestClock(T0);
    const store = await openTestStore({ clock });
    await registerSchedule(store, clock);
    const scheduler = newScheduler(store, clock);
    clock.setTime('2026-03-30T05:20:00Z');
    const fires = await scheduler.tick();
    assert.deepEqual(
      fires.map((f) => f.fireAt),
      ['2026-03-30T05:00:00.000Z'],
    );
    await finishQueuedRuns(store);
    clock.setTime('2026-03-30T06:00:00Z');
    assert.deepEqual(
      (await scheduler.tick()).map((f) => f.fireAt),
      ['2026-03-30T06:00:00.000Z'],
    );
  });

  it('skips a fire while the previous run has not finished, and records why', async () => {
    const clock = new TestClock(T0);
    const store = await openTestStore({ clock });
    await registerSchedule(store, clock);
    const scheduler = newScheduler(store, clock);
    clock.setTime('2026-03-29T00:00:00Z');
    const [first] = await scheduler.tick();
    clock.setTime('2026-03-29T01:00:00Z');
    const [second] = await scheduler.tick();
    assert.equal(second?.runId, null);
    assert.match(
      second?.error ?? '',
      new RegExp(`skipped: run ${first!.runId} of ticketing has not finished`),
    );
    assert.equal((await new RunsRepo(store.db).unfinished()).length, 1);
    const [stored] = await new SchedulesRepo(store.db).schedules();
    assert.match(stored?.lastError ?? '', /skipped/);
  });

  it('does not fire a disabled schedule, and records a workflow that cannot run', async () => {
    const clock = new TestClock(T0);
    const store = await openTestStore({ clock });
    await registerSchedule(store, clock, { enabled: false, nextFireAt: null });
    await new SchedulesRepo(store.db, clock).register({
      name: 'gone',
      source: 'builtin',
      description: 'test',
      connectors: [],
      options: {},
      configFile: null,
      schedules: [
        {
          name: 'gone',
          cron: '0 * * * *',
          timezone: 'UTC',
          enabled: true,
          nextFireAt: new Date('2026-03-29T00:00:00Z'),
        },
      ],
    });
    const scheduler = newScheduler(store, clock);
    clock.setTime('2026-03-29T00:00:00Z');
    const fires = await scheduler.tick();
    assert.deepEqual(
      fires.map((f) => [f.schedule, f.runId, f.error]),
      [['gone', null, 'the workflow gone is not registered']],
    );
    assert.deepEqual(await new RunsRepo(store.db).unfinished(), []);
  });
});

describe('two schedulers sharing one PostgreSQL', { skip: !testStoreDrivers().includes('postgres') }, () => {
  const schema = `arx_t_sched_${randomBytes(4).toString('hex')}`;
  const opened: Store[] = [];
  after(async () => {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(opened[0]!.db).catch(() => {});
    await Promise.all(opened.map((store) => store.close()));
  });

  it('fire each occurrence of a per-second cron exactly once between them', async () => {
    const clock = new TestClock('2026-03-29T00:00:00Z');
    const open = () => openStore({ databaseUrl: process.env.DATABASE_URL!, schema, poolSize: 3, clock });
    opened.push(await open());
    opened.push(await open()); // a second process: its own pool and connections, the same tables
    const [a, b] = opened as [Store, Store];
    await registerSchedule(a, clock, { cron: '* * * * * *', nextFireAt: new Date('2026-03-29T00:00:01Z') });
    const schedulers = [newScheduler(a, clock), newScheduler(b, clock)];

    const seconds = 40;
    const won: Fire[][] = [[], []];
    for (let i = 0; i < seconds; i++) {
      clock.tick(1_000);
      const [fa, fb] = await Promise.all(schedulers.map((s) => s.tick()));
      won[0]!.push(...fa!);
      won[1]!.push(...fb!);
      await finishQueuedRuns(a);
    }
    const fires = [...won[0]!, ...won[1]!];
    const expected = Array.from({ length: seconds }, (_, i) =>
      new Date(Date.parse('2026-03-29T00:00:01Z') + i * 1000).toISOString(),
    );
    assert.deepEqual(fires.map((f) => f.fireAt).sort(), expected, 'every second fired once, none twice');
    assert.ok(fires.every((f) => f.runId && !f.error));
    const runs = await new RunsRepo(a.db).list({ workflow: 'ticketing', limit: 1000 });
    assert.equal(runs.items.length, seconds, 'one run per occurrence');
    const fireTimes = new Set(
      runs.items.map((r) => (r.params as { trigger: { fireAt: string } }).trigger.fireAt),
    );
    assert.equal(fireTimes.size, seconds);
  });
});
