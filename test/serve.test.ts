import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { systemClock } from '../src/core/clock.js';
import { openRunQueue, type RunQueue } from '../src/engine/scheduler/queue.js';
import { RunService } from '../src/engine/scheduler/service.js';
import { gateAccess } from '../src/governance/access.js';
import { createLogger } from '../src/log/logger.js';
import { createApp } from '../src/server/app.js';
import { serviceApi } from '../src/server/service-api.js';
import type { Store } from '../src/store/open.js';
import { RunLeasesRepo } from '../src/store/run-leases-repo.js';
import { type RunRecord, RunsRepo } from '../src/store/runs-repo.js';
import { SchedulesRepo } from '../src/store/schedules-repo.js';
import { resolveOptions } from '../src/workflows/sdk/options.js';
import { openEngineHarness } from './support/engine.js';
import { openTestStore, testStoreDrivers } from './support/stores.js';
import { findingLabel } from './support/ticket-connector.js';
import { startTicketService, type TicketService } from './support/ticket-service.js';
import { ticketingWorkflow } from './support/ticketing-workflow.js';
import { waitFor } from './support/wait.js';

/**
 * `arx serve` in process: the real queue (pg-boss on the test store), the real engine, gate and audit trail
 * with the test ticket connector, and the HTTP app through `app.request()`. The workflow is registered by
 * its folder, the way `arx register` stores a user's workflow.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/workflows/ticketing', import.meta.url));
const quiet = createLogger({ level: 'silent' });
const TOKEN = 'test-serve-token';
const authorized = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

for (const driver of testStoreDrivers())
  describe(`arx serve [${driver}]`, () => {
    const setup = async (count = 3) => {
      const tickets = await startTicketService();
      cleanups.push(() => tickets.close());
      const store = await openTestStore(driver);
      cleanups.push(() => store.close());
      const { engine, gate } = openEngineHarness(store, { ticketsUrl: tickets.url, clock: systemClock });
      await new SchedulesRepo(store.db).register({
        name: 'ticketing',
        source: FIXTURE,
        description: 'fixture',
        connectors: ['tickets'],
        options: { count },
        configFile: null,
        schedules: [],
      });
      const queue = await openQueue(store, driver);
      const service = new RunService({
        role: 'serve',
        store,
        engine,
        queue,
        env: {},
        log: quiet,
        concurrency: 2,
        sweepIntervalMs: 100,
        sweepGraceMs: 0,
        schedulerMaxSleepMs: 100,
      });
      cleanups.push(() => service.stop());
      return {
        store,
        engine,
        queue,
        service,
        tickets,
        app: createApp(serviceApi(service, gateAccess(gate)), { token: TOKEN }),
        runs: new RunsRepo(store.db),
      };
    };

    it('fires a registered schedule once, runs it from the queue, and reports it on /healthz', async () => {
      const { store, service, tickets, app, runs } = await setup(3);
      const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000); // one occurrence, two seconds from now
      const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
      await new SchedulesRepo(store.db).register({
        name: 'ticketing',
        source: FIXTURE,
        description: 'fixture',
        connectors: ['tickets'],
        options: { count: 3 },
        configFile: null,
        schedules: [{ name: 'every-4h', cron, timezone: 'UTC', enabled: true, nextFireAt: at }],
      });
      await service.start();

      const done = await waitFor('the fired run to succeed', async () => {
        const [run] = (await runs.list({ workflow: 'ticketing' })).items;
        return run?.status === 'succeeded' ? run : undefined;
      });
      assert.deepEqual((done.params as { trigger?: unknown }).trigger, {
        kind: 'schedule',
        by: 'every-4h',
        fireAt: at.toISOString(),
      });
      assert.equal(tickets.tickets().length, 3);
      assert.equal((await runs.list({ workflow: 'ticketing' })).items.length, 1, 'fired once');

      const res = await app.request('/healthz');
      assert.equal(res.status, 200);
      const health = (await res.json()) as Awaited<ReturnType<RunService['health']>>;
      assert.equal(health.ok, true);
      assert.equal(health.store.ok, true);
      assert.equal(health.queue.ok, true);
      const schedule = health.scheduler?.schedules.find((s) => s.name === 'every-4h');
      assert.equal(schedule?.lastFireAt, at.toISOString());
      assert.equal(schedule?.lastRunId, done.id);
      const nextYear = new Date(at);
      nextYear.setUTCFullYear(at.getUTCFullYear() + 1);
      assert.equal(schedule?.nextFireAt, nextYear.toISOString(), 'that cron fires again a year later');
      assert.equal(health.workers.lastFinished?.runId, done.id);

      await service.stop();
      const after = await app.request('/healthz');
      assert.equal(after.status, 503, 'a stopped queue is unhealthy');
      assert.equal(((await after.json()) as { queue: { ok: boolean } }).queue.ok, false);
    });

    it('resumes a run whose process died, under its own id, with no duplicate and no missing ticket', async () => {
      const { store, engine, service, tickets, runs } = await setup();
      const count = 5;
      const workflow = ticketingWorkflow();
      const abort = new AbortController();
      tickets.onCreate((_ticket, n) => {
        if (n === 2) abort.abort('killed');
      });
      const first = await engine.run(workflow, {
        options: resolveOptions(workflow, { count }, {}),
        signal: abort.signal,
      });
      assert.equal(first.status, 'interrupted');
      tickets.onCreate(undefined);
      // as kill -9 leaves it: the lease still names the process, which no longer exists
      await new RunLeasesRepo(store.db).acquire(first.runId, {
        owner: 'dead-owner',
        host: hostname(),
        pid: 2 ** 22 + 1,
      });

      await service.start();
      const done = await waitFor('the interrupted run to be resumed and finish', async () => {
        const run = await runs.get(first.runId);
        return run && run.status !== 'running' && run.status !== 'queued' ? run : undefined;
      });
      assert.equal(done.status, 'succeeded', done.error ?? '');
      const summary = done.summary as { attempt: number; resumed: boolean };
      assert.equal(summary.resumed, true);
      assert.equal(summary.attempt, 2, 'the same run, resumed once');
      assertOneTicketEach(tickets, count);
      assert.equal((await runs.list({ workflow: 'ticketing' })).items.length, 1, 'no second run was started');
    });

    it('queues a manual run (POST /runs) and refuses an unregistered workflow or a bad body', async () => {
      const { service, tickets, app, runs } = await setup(2);
      await service.start();
      const res = await app.request('/runs', {
        method: 'POST',
        body: JSON.stringify({ workflow: 'ticketing', requested_by: 'alice' }),
        headers: authorized,
      });
      assert.equal(res.status, 202);
      const { runId } = (await res.json()) as { runId: string };
      const done: RunRecord = await waitFor('the manual run to finish', async () => {
        const run = await runs.get(runId);
        return run?.status === 'succeeded' ? run : undefined;
      });
      assert.equal((done.params as { requestedBy?: string }).requestedBy, 'manual:alice');
      assertOneTicketEach(tickets, 2);

      const unknown = await app.request('/runs', {
        method: 'POST',
        body: JSON.stringify({ workflow: 'nope' }),
        headers: authorized,
      });
      assert.equal(unknown.status, 404);
      assert.match(((await unknown.json()) as { hint: string }).hint, /arx register/);
      const bad = await app.request('/runs', { method: 'POST', body: '{"flow": 1}', headers: authorized });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { message: string }).message, /workflow/, 'names the field');
    });

    it('needs the bearer token on every route but /healthz', async () => {
      const { app, runs } = await setup(1);
      const body = JSON.stringify({ workflow: 'ticketing' });
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer wrong-token' },
        { authorization: TOKEN }, // the token without the scheme
      ];
      for (const headers of attempts) {
        const res = await app.request('/runs', { method: 'POST', body, headers });
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { code: string }).code, 'unauthorized');
      }
      assert.equal((await runs.list({ workflow: 'ticketing' })).items.length, 0, 'nothing was queued');
      assert.equal((await app.request('/killswitch')).status, 401);
      assert.equal((await app.request('/approvals')).status, 401);
      assert.notEqual((await app.request('/healthz')).status, 401, '/healthz stays open');
    });
  });

function assertOneTicketEach(tickets: TicketService, count: number): void {
  const all = tickets.tickets();
  for (let i = 0; i < count; i++) {
    const label = findingLabel(`fk_${i}`);
    assert.equal(all.filter((t) => t.labels.includes(label)).length, 1, `exactly one ticket for fk_${i}`);
  }
  assert.equal(all.length, count);
}

/** The queue on the test store; on PostgreSQL its schema is dropped with the test. */
async function openQueue(store: Store, driver: string): Promise<RunQueue> {
  const queue = await openRunQueue({ store, databaseUrl: process.env.DATABASE_URL });
  cleanups.push(async () => {
    await queue.stop();
    if (driver === 'postgres')
      await sql`drop schema if exists ${sql.id(queue.schema)} cascade`.execute(store.db);
  });
  return queue;
}
