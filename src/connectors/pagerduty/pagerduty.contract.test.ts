import assert from 'node:assert/strict';
import { it } from 'node:test';
import { failure, type SinkTarget, sinkOpener } from '../../../test/support/sink-contract.js';
import { forEachStore } from '../../../test/support/stores.js';
import { createPagerDutyEmulator } from '../../sandbox/pagerduty/index.js';
import { readPages } from '../read-pages.js';
import { pagerdutyConnector } from './index.js';
import type { CreateIncidentResult, EventResult, IncidentRef, ListResult, ResolveResult } from './results.js';

/** The PagerDuty connector against the PagerDuty emulator over real HTTP, every call through the gate. */

const open = sinkOpener(
  ({ clock, random }) => createPagerDutyEmulator({ random }, { clock }),
  pagerdutyConnector,
);

const trigger = (target: SinkTarget, dedupKey: string) =>
  target.call<EventResult>('pagerduty:events:send', {
    action: 'trigger',
    dedupKey,
    summary: '[Wiz] CRITICAL Publicly exposed bucket: prod-customer-uploads',
    source: 'arn:aws:s3:::prod-customer-uploads',
    severity: 'critical',
    customDetails: { account: '123456789012' },
  });

const create = (target: SinkTarget, incidentKey: string, extra: Record<string, unknown> = {}) =>
  target.call<CreateIncidentResult>('pagerduty:incidents:create', {
    title: `CVE on ${incidentKey}`,
    incidentKey,
    findingPriority: 'P1',
    details: 'Exploited in the wild (KEV).',
    ...extra,
  });

const withKey = async (target: SinkTarget, incidentKey: string) =>
  (await target.call<ListResult>('pagerduty:incidents:list', { incidentKey })).items;

forEachStore('pagerduty connector contract', (openTestStore) => {
  it('events: a repeated trigger folds into one incident keyed by dedup_key; resolve closes it', async (t) => {
    const target = await open(t, openTestStore);
    const first = await trigger(target, 'fk_event_1');
    assert.deepEqual(first, { dedupKey: 'fk_event_1', status: 'success', message: 'Event processed' });
    await trigger(target, 'fk_event_1');
    const [incident, ...others] = await withKey(target, 'fk_event_1');
    assert.equal(others.length, 0, 'one incident, not two');
    assert.deepEqual([incident?.status, incident?.urgency], ['triggered', 'high']);
    assert.equal(
      (await target.reconcile('pagerduty:events:send', { action: 'resolve', dedupKey: 'fk_event_1' })).found,
      false,
    );
    await target.call('pagerduty:events:send', { action: 'resolve', dedupKey: 'fk_event_1' });
    assert.equal((await withKey(target, 'fk_event_1'))[0]?.status, 'resolved');
    assert.equal(
      (await target.reconcile('pagerduty:events:send', { action: 'resolve', dedupKey: 'fk_event_1' })).found,
      true,
    );

    const bad = await failure(
      target.call('pagerduty:events:send', { action: 'trigger', dedupKey: 'x', summary: 's' }),
    );
    assert.match(bad.message, /a trigger needs source/);
    await target.assertAudited('pagerduty:events:send', 6); // 4 sends (one refused) + 2 reconciles
  });

  it('incidents: P1 pages with high urgency; a duplicate incident_key returns the open incident', async (t) => {
    const target = await open(t, openTestStore);
    const first = await create(target, 'CVE-2024-3094');
    assert.deepEqual(
      [first.created, first.urgency, first.status, first.incidentKey],
      [true, 'high', 'triggered', 'CVE-2024-3094'],
    );
    assert.match(first.url ?? '', /\/incidents\/P[A-Z0-9]{6}$/);
    const again = await create(target, 'CVE-2024-3094');
    assert.deepEqual([again.created, again.id], [false, first.id]);
    assert.deepEqual(target.answered('incidents.create'), { 201: 1, 400: 1 });
    assert.equal((await create(target, 'CVE-2023-4863', { findingPriority: 'P3' })).urgency, 'low');

    // an incident an event opened carries the dedup key: a REST create for that key finds it
    await trigger(target, 'fk_shared');
    const shared = await create(target, 'fk_shared');
    assert.equal(shared.created, false);
    await target.assertAudited('pagerduty:incidents:create', 4);
  });

  it('resolves by id or by key, and resolving again changes nothing', async (t) => {
    const target = await open(t, openTestStore);
    const incident = await create(target, 'fk_r1');
    const resolved = await target.call<ResolveResult>('pagerduty:incidents:resolve', {
      incidentId: incident.id,
      resolution: 'bucket locked',
    });
    assert.deepEqual(resolved.incidents, [{ id: incident.id, status: 'resolved', changed: true }]);
    const twice = await target.call<ResolveResult>('pagerduty:incidents:resolve', {
      incidentId: incident.id,
      resolution: 'x',
    });
    assert.deepEqual(twice.incidents, [{ id: incident.id, status: 'resolved', changed: false }]);
    await create(target, 'fk_r2');
    const byKey = await target.call<ResolveResult>('pagerduty:incidents:resolve', { incidentKey: 'fk_r2' });
    assert.equal(byKey.incidents[0]?.changed, true);
    assert.equal(
      (await target.reconcile('pagerduty:incidents:resolve', { incidentKey: 'fk_r2' })).found,
      true,
    );
    // after a resolve the same key may page again: a recurrence is a new incident
    const recurrence = await create(target, 'fk_r2', { occurrence: 'seen-again' });
    assert.equal(recurrence.created, true);
    await target.assertAudited('pagerduty:incidents:resolve', 4); // 3 resolves + 1 reconcile
  });

  it('pages incidents lazily with offset cursors', async (t) => {
    const target = await open(t, openTestStore);
    for (const n of [1, 2, 3, 4, 5]) await create(target, `fk_p${n}`);
    const pages: string[][] = [];
    for await (const page of readPages<IncidentRef>({
      gate: target.gate,
      context: target.context,
      operation: 'pagerduty:incidents:list',
      params: { statuses: ['triggered'], limit: 2 },
    })) {
      pages.push(page.items.map((i) => i.incidentKey));
    }
    assert.deepEqual(pages, [['fk_p1', 'fk_p2'], ['fk_p3', 'fk_p4'], ['fk_p5']]);
    await target.assertAudited('pagerduty:incidents:list', 3);
  });

  it('a create whose answer is lost is found by incident_key, and reconcile through the gate finds it', async (t) => {
    const target = await open(t, openTestStore, {
      lose: ({ method, path, count }) => method === 'POST' && path === '/api/incidents' && count === 1,
    });
    const out = await create(target, 'fk_lost');
    assert.deepEqual(target.lost(), ['POST /api/incidents']);
    assert.equal(out.created, true);
    assert.deepEqual(target.answered('incidents.create'), { 201: 1 });
    const check = await target.reconcile<CreateIncidentResult>('pagerduty:incidents:create', {
      title: 't',
      incidentKey: 'fk_lost',
    });
    assert.deepEqual([check.found, check.result?.id], [true, out.id]);
    assert.equal(
      (await target.reconcile('pagerduty:incidents:create', { title: 't', incidentKey: 'fk_none' })).found,
      false,
    );
  });

  it('REST: paced by ratelimit-remaining/-reset without a 429; Events: 429 without Retry-After is backed off', async (t) => {
    const target = await open(t, openTestStore, {
      faults: { rateLimit: { requests: 2, windowMs: 1000, scope: 'key' } },
    });
    const started = target.clock.now().getTime();
    for (const n of [1, 2, 3, 4, 5]) await target.call('pagerduty:incidents:list', { incidentKey: `k${n}` });
    assert.deepEqual(
      target.answered('incidents.list'),
      { 200: 5 },
      'the governor waited for the window instead',
    );
    assert.ok(target.clock.now().getTime() - started >= 2000, 'two full windows were waited out');

    for (const n of [1, 2, 3]) await trigger(target, `fk_rate_${n}`);
    assert.ok((target.answered('events.enqueue')['429'] ?? 0) >= 1, 'the emulator throttled the routing key');
    assert.equal(target.answered('events.enqueue')['202'], 3);
    assert.equal((await withKey(target, 'fk_rate_3')).length, 1);
    await target.assertAudited('pagerduty:events:send', 3);
  });

  it('retries 5xx and broken bodies on reads; a tool that stays down is a retryable failure', async (t) => {
    const target = await open(t, openTestStore, { faults: { errorRate: 0.3, malformedRate: 0.3 } });
    for (const n of [1, 2, 3, 4]) await target.call('pagerduty:incidents:list', { incidentKey: `k${n}` });
    const answered = target.answered('incidents.list');
    assert.ok((answered['500'] ?? 0) >= 1 && (answered['200'] ?? 0) > 4, JSON.stringify(answered));
    target.emulator.setFaults({ errorRate: 1 });
    const down = await failure(target.call('pagerduty:incidents:list', {}));
    assert.deepEqual([down.code, down.retryable], ['tool_unavailable', true]);
    await target.assertAudited('pagerduty:incidents:list', 5);
  });

  it('explains credentials: a bad key, a missing From, and what the check finds', async (t) => {
    const target = await open(t, openTestStore, { env: (env) => ({ ...env, PAGERDUTY_API_KEY: 'wrong' }) });
    const err = await failure(create(target, 'fk_auth'));
    assert.deepEqual([err.code, err.fault], ['unauthorized', 'caller']);
    assert.deepEqual(target.answered('incidents.create'), { 401: 1 }, 'not retried');

    const good = { ...target.env, PAGERDUTY_API_KEY: 'sandbox-pagerduty-api-key' };
    assert.equal((await target.checkCredentials(target.env)).problem, 'bad_secret');
    const ok = await target.checkCredentials(good);
    assert.deepEqual([ok.ok, ok.identity], [true, 'Cloud Security']);
    assert.equal(
      (await target.checkCredentials({ ...good, PAGERDUTY_SERVICE_ID: 'PNOPE00' })).problem,
      'missing_scope',
    );
    const eventsOnly = await target.checkCredentials({
      PAGERDUTY_ROUTING_KEY: target.env.PAGERDUTY_ROUTING_KEY!,
    });
    assert.equal(eventsOnly.ok, true);
    assert.match(eventsOnly.message, /Events API only/);

    const noFrom = await open(t, openTestStore, { env: (env) => ({ ...env, PAGERDUTY_FROM: '' }) });
    const missing = await failure(create(noFrom, 'fk_from'));
    assert.equal(missing.code, 'credentials_missing');
    assert.match(missing.message, /PAGERDUTY_FROM/);
    const badKey = await open(t, openTestStore, {
      env: (env) => ({ ...env, PAGERDUTY_ROUTING_KEY: 'short' }),
    });
    const event = await failure(trigger(badKey, 'fk_rk'));
    assert.match((event as { hint?: string }).hint ?? '', /PAGERDUTY_ROUTING_KEY/);
  });
});
