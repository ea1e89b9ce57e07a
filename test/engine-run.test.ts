import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { TestClock } from '../src/core/clock.js';
import { LEASE_TTL_MS } from '../src/engine/ownership.js';
import type { ProgressEvent } from '../src/engine/progress.js';
import { EffectsRepo } from '../src/store/effects-repo.js';
import { RunLeasesRepo } from '../src/store/run-leases-repo.js';
import { RunsRepo } from '../src/store/runs-repo.js';
import { resolveOptions } from '../src/workflows/sdk/options.js';
import { openEngineHarness } from './support/engine.js';
import { forEachStore } from './support/stores.js';
import { findingLabel } from './support/ticket-connector.js';
import { startTicketService, type TicketService } from './support/ticket-service.js';
import { ticketingWorkflow } from './support/ticketing-workflow.js';

let service: TicketService;
const services: TicketService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

const options = (count = 3, close: string[] = []) =>
  resolveOptions(ticketingWorkflow(), { count, close }, {});

/** Findings with more than one ticket at the service: must always be empty. */
function duplicates(tickets: ReturnType<TicketService['tickets']>): string[] {
  const seen = new Map<string, number>();
  for (const ticket of tickets)
    for (const label of ticket.labels) seen.set(label, (seen.get(label) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([label]) => label);
}

forEachStore('engine run', (openTestStore) => {
  const setup = async (
    extra: { governance?: Record<string, unknown>; clock?: TestClock; approvals?: 'wait' | 'park' } = {},
  ) => {
    service = await startTicketService();
    services.push(service);
    const clock = extra.clock ?? new TestClock('2026-03-02T12:00:00Z');
    const store = await openTestStore({ clock });
    const harness = openEngineHarness(store, { ticketsUrl: service.url, clock, approvalPollMs: 5, ...extra });
    return { store, clock, ...harness, made: () => service.tickets() };
  };

  it('writes each effect once: pending in the ledger before the call, done with the result after', async () => {
    const { engine, store, made, stats, audit } = await setup();
    const effects = new EffectsRepo(store.db);
    const seenDuringWrite: string[] = [];
    service.onCreate(async (ticket) => {
      const key = `tickets:create:${ticket.labels[0]!.replace('arx-', '')}`;
      seenDuringWrite.push((await effects.get(key))?.state ?? 'absent');
    });
    const out = await engine.run(ticketingWorkflow(), { options: options(3) });
    assert.equal(out.status, 'succeeded');
    assert.deepEqual(seenDuringWrite, ['pending', 'pending', 'pending']);
    assert.equal(made().length, 3);
    const done = await effects.get('tickets:create:fk_1');
    assert.equal(done?.state, 'done');
    assert.deepEqual(done?.result, { key: made()[1]!.key });
    assert.equal(done?.runId, out.runId);
    assert.equal(out.summary.counts.ticketsCreated, 3);
    assert.equal(out.summary.counts.findingsRead, 3);
    assert.equal(out.summary.effects.performed, 3);
    assert.equal(out.summary.apiCalls.tickets, 5, '3 creates and 2 list pages');
    assert.equal(stats.calls().tickets, 5);

    // every call was audited under the workflow principal and this run
    const intents = (await audit.entries()).filter((e) => e.kind === 'intent');
    assert.equal(intents.length, 5);
    assert.ok(intents.every((e) => e.actor === 'workflow:ticketing' && e.run_id === out.runId));

    // a second run of the workflow writes nothing again
    const again = await engine.run(ticketingWorkflow(), { options: options(3) });
    assert.equal(again.status, 'succeeded');
    assert.notEqual(again.runId, out.runId);
    assert.equal(made().length, 3);
    assert.equal(
      again.summary.counts.ticketsCreated,
      0,
      'tickets of an earlier run are not counted as created',
    );
    assert.equal(again.summary.effects.existing, 3);
  });

  it('reconciles a pending effect left by a crashed run: found at the target, completed without writing', async () => {
    const { engine, store, made, audit } = await setup();
    // what a run killed right after the service stored the ticket leaves behind
    const crashed = await new RunsRepo(store.db).create({
      workflow: 'ticketing',
      params: { options: { count: 99 } },
    });
    await new EffectsRepo(store.db).begin('tickets:create:fk_0', 'tickets:issues:create', crashed.id);
    const existing = await fetch(`${service.url}/tickets`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Finding fk_0', labels: [findingLabel('fk_0')] }),
    }).then((r) => r.json() as Promise<{ key: string }>);

    const out = await engine.run(ticketingWorkflow(), { options: options(2) });
    assert.equal(out.status, 'succeeded');
    const fk0 = made().filter((t) => t.labels.includes(findingLabel('fk_0')));
    assert.equal(fk0.length, 1, 'no second ticket for fk_0');
    assert.deepEqual((await new EffectsRepo(store.db).get('tickets:create:fk_0'))?.result, {
      key: existing.key,
    });
    assert.equal(out.summary.effects.reconciled, 1);
    assert.equal(out.summary.effects.performed, 1);
    const reconcile = (await audit.entries()).find(
      (e) => e.kind === 'intent' && e.payload.reconcile === true,
    );
    assert.equal(reconcile?.run_id, out.runId, 'the look-up at the target is audited under the run');
    assert.deepEqual(duplicates(made()), []);
    // the interrupted run with other options was closed, not left dangling
    assert.equal((await new RunsRepo(store.db).get(crashed.id))?.status, 'failed');
  });

  it('writes a pending effect that never reached the target exactly once', async () => {
    const { engine, store, made } = await setup();
    const crashed = await new RunsRepo(store.db).create({ workflow: 'other', params: {} });
    await new EffectsRepo(store.db).begin('tickets:create:fk_0', 'tickets:issues:create', crashed.id);
    const out = await engine.run(ticketingWorkflow(), { options: options(1) });
    assert.equal(out.status, 'succeeded');
    assert.equal(made().length, 1);
    const effect = await new EffectsRepo(store.db).get('tickets:create:fk_0');
    assert.equal(effect?.state, 'done');
    assert.equal(effect?.runId, out.runId);
    assert.equal(effect?.attempts, 2);
  });

  it('dry run: reads and decides, writes nothing, and returns the plan', async () => {
    const { engine, store, made, audit } = await setup({
      governance: {
        rules: [
          { name: 'no-closing', verdict: 'deny', priority: 5, match: { operation: 'tickets:issues:close' } },
        ],
      },
    });
    const first = await engine.run(ticketingWorkflow(), { options: options(1) });
    assert.equal(made().length, 1);
    const out = await engine.run(ticketingWorkflow(), { options: options(3, ['fk_0']), dryRun: true });
    assert.equal(out.status, 'succeeded');
    assert.equal(made().length, 1, 'nothing written');
    assert.equal(await new EffectsRepo(store.db).get('tickets:create:fk_2'), undefined, 'no ledger entry');
    assert.deepEqual(
      out.summary.plan?.map((p) => [p.operation, p.outcome, p.target]),
      [
        ['tickets:issues:create', 'already_done', 'fk_0'],
        ['tickets:issues:create', 'would_run', 'fk_1'],
        ['tickets:issues:create', 'would_run', 'fk_2'],
        ['tickets:issues:close', 'denied', 'fk_0'],
      ],
    );
    assert.equal(out.summary.plan?.[1]?.why, 'new finding');
    assert.equal(out.summary.counts.ticketsCreated, 2, 'counted as would-be creates');
    assert.equal(out.summary.counts.denied, 1);
    const results = (await audit.entries()).filter((e) => e.kind === 'result' && e.run_id === out.runId);
    assert.deepEqual(
      results.map((r) => [r.action, r.payload.status]),
      [
        ['tickets:issues:create', 'skipped'],
        ['tickets:issues:create', 'skipped'],
        ['tickets:issues:list', 'ok'],
      ],
      'writes skipped by the gate, the list page read',
    );
    assert.equal((await new RunsRepo(store.db).get(first.runId))?.status, 'succeeded');
  });

  it('counts a denied operation and carries on with the other targets', async () => {
    const { engine, made } = await setup({
      governance: {
        rules: [
          { name: 'no-closing', verdict: 'deny', priority: 5, match: { operation: 'tickets:issues:close' } },
        ],
      },
    });
    const out = await engine.run(ticketingWorkflow(), { options: options(2, ['fk_0', 'fk_1']) });
    assert.equal(out.status, 'succeeded');
    assert.equal(out.summary.counts.denied, 2);
    assert.equal(out.summary.counts.ticketsClosed, 0);
    assert.deepEqual(
      out.summary.denials.map((d) => [d.operation, d.rule, d.target]),
      [
        ['tickets:issues:close', 'no-closing', 'fk_0'],
        ['tickets:issues:close', 'no-closing', 'fk_1'],
      ],
    );
    assert.ok(made().every((t) => t.status === 'open'));
  });

  it('a freeze stops the running workflow at its next write; the next run finishes without duplicates', async () => {
    const { engine, gate, store, made } = await setup();
    service.onCreate(async () => {
      if (made().length === 2) await gate.killSwitch.freeze({ actor: 'user:alice', reason: 'incident' });
    });
    const out = await engine.run(ticketingWorkflow(), { options: options(4) });
    assert.equal(out.status, 'stopped');
    assert.match(
      out.summary.error ?? '',
      /stopped at its next write \(tickets:issues:create\): all writes are frozen by user:alice/,
    );
    assert.match(out.summary.hint ?? '', /arx resume/);
    assert.equal(made().length, 2);
    assert.equal((await new RunsRepo(store.db).get(out.runId))?.status, 'cancelled');

    service.onCreate(undefined);
    await gate.killSwitch.resume(undefined, { actor: 'user:alice' });
    const next = await engine.run(ticketingWorkflow(), { options: options(4) });
    assert.equal(next.status, 'succeeded');
    assert.equal(made().length, 4);
    assert.deepEqual(duplicates(made()), []);
  });

  it('resumes an interrupted run under its id: finished steps replay, finished writes are not repeated', async () => {
    const { engine, newEngine, store, made } = await setup();
    let planned = 0;
    const workflow = ticketingWorkflow({ planned: () => planned++ });
    const stop = new AbortController();
    service.onCreate((_ticket, count) => {
      if (made().length === 2) stop.abort(new Error(`stopped after create ${count}`));
    });
    const first = await engine.run(workflow, { options: options(4), signal: stop.signal });
    assert.equal(first.status, 'interrupted');
    assert.equal((await new RunsRepo(store.db).get(first.runId))?.status, 'running', 'left resumable');
    assert.equal(made().length, 2);

    service.onCreate(undefined);
    const second = await newEngine().run(workflow, { options: options(4) });
    assert.equal(second.runId, first.runId);
    assert.equal(second.resumed, true);
    assert.equal(second.summary.attempt, 2);
    assert.equal(second.status, 'succeeded');
    assert.equal(planned, 1, 'the plan step ran once and was replayed');
    assert.equal(second.summary.counts.findingsRead, 4, 'the replayed step adds its counts again');
    assert.equal(second.summary.counts.ticketsCreated, 4, 'the run total: replayed and new');
    // the first create finished; the second landed at the service but its answer was cut off with the run,
    // so it was still pending in the ledger and was found by the reconciler instead of being sent again
    assert.equal(second.summary.effects.replayed, 1);
    assert.equal(second.summary.effects.reconciled, 1);
    assert.equal(made().length, 4);
    assert.deepEqual(duplicates(made()), []);
  });

  it('does not resume a run whose owner is alive; takes it over once its lease expires', async () => {
    const { engine, store, clock, made } = await setup();
    const runs = new RunsRepo(store.db);
    const running = await runs.create({
      workflow: 'ticketing',
      params: { options: options(1), optionsHash: '', dryRun: false },
    });
    await new RunLeasesRepo(store.db, clock).acquire(running.id, {
      owner: 'elsewhere:1:x',
      host: 'elsewhere',
      pid: 1,
    });
    await assert.rejects(
      engine.run(ticketingWorkflow(), { options: options(1) }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'run_in_progress');
        assert.match(err.message, /ticketing is already running/);
        return true;
      },
    );
    clock.tick(LEASE_TTL_MS + 1);
    const out = await engine.run(ticketingWorkflow(), { options: options(1) });
    assert.equal(out.status, 'succeeded');
    assert.equal(made().length, 1);
  });

  it('an escalated write waits for its approval, then proceeds', async () => {
    const { engine, gate, made } = await setup({
      governance: {
        rules: [
          {
            name: 'review-tickets',
            verdict: 'escalate',
            priority: 5,
            match: { operation: 'tickets:issues:create' },
          },
        ],
      },
    });
    const events: ProgressEvent[] = [];
    const out = await engine.run(ticketingWorkflow(), {
      options: options(1),
      requestedBy: 'bob',
      progress: (event) => {
        events.push(event);
        if (event.type === 'waiting') void gate.approvals.approve(event.approvalId, { as: 'alice' });
      },
    });
    assert.equal(out.status, 'succeeded');
    assert.equal(out.summary.counts.escalated, 1);
    assert.equal(out.summary.approvals.length, 1);
    assert.equal(made().length, 1);
    assert.ok(events.some((e) => e.type === 'waiting' && e.operation === 'tickets:issues:create'));
  });

  it('parks a run on an escalation when it must not hold the store, and resumes once approved', async () => {
    const { engine, gate, store, made } = await setup({
      governance: {
        rules: [
          {
            name: 'review-tickets',
            verdict: 'escalate',
            priority: 5,
            match: { operation: 'tickets:issues:create' },
          },
        ],
      },
      approvals: 'park',
    });
    const parked = await engine.run(ticketingWorkflow(), { options: options(1), requestedBy: 'bob' });
    assert.equal(parked.status, 'waiting');
    assert.match(parked.summary.error ?? '', /waiting for approval apr_\w+ of tickets:issues:create/);
    assert.match(
      parked.summary.hint ?? '',
      /arx approvals approve apr_\w+ --as <name>; then run `arx run ticketing` again/,
    );
    assert.equal((await new RunsRepo(store.db).get(parked.runId))?.status, 'waiting');
    assert.equal(made().length, 0);
    assert.equal(
      (await new EffectsRepo(store.db).get('tickets:create:fk_0'))?.state,
      'failed',
      'provably not written',
    );

    await gate.approvals.approve(parked.summary.approvals[0]!, { as: 'alice' });
    const resumed = await engine.run(ticketingWorkflow(), { options: options(1) });
    assert.equal(resumed.runId, parked.runId);
    assert.equal(resumed.status, 'succeeded');
    assert.equal(made().length, 1);
  });
});
