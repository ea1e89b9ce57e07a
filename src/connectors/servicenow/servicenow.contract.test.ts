import assert from 'node:assert/strict';
import { it } from 'node:test';
import { failure, type SinkTarget, sinkOpener } from '../../../test/support/sink-contract.js';
import { forEachStore } from '../../../test/support/stores.js';
import { createServiceNowEmulator } from '../../sandbox/servicenow/index.js';
import { readPages } from '../read-pages.js';
import { servicenowConnector } from './index.js';
import type { CreateIncidentResult, IncidentRef, ReadResult } from './results.js';

/** The ServiceNow connector against the ServiceNow emulator over real HTTP, every call through the gate. */

const open = sinkOpener(
  ({ clock, random }) => createServiceNowEmulator({ random }, { clock }),
  servicenowConnector,
);

const create = (target: SinkTarget, correlationId: string, extra: Record<string, unknown> = {}) =>
  target.call<CreateIncidentResult>('servicenow:incidents:create', {
    shortDescription: `[Wiz][CRITICAL] Public bucket (${correlationId})`,
    description: 'Bucket prod-customer-uploads is public.',
    severity: 'critical',
    correlationId,
    ...extra,
  });

const read = async (target: SinkTarget, params: Record<string, unknown>) =>
  (await target.call<ReadResult>('servicenow:incidents:read', params)).items;

forEachStore('servicenow connector contract', (openTestStore) => {
  it('one active incident per finding by correlation_id; severity sets impact and urgency', async (t) => {
    const target = await open(t, openTestStore);
    const first = await create(target, 'fk_sn_1');
    assert.equal(first.created, true);
    assert.match(first.number, /^INC\d+$/);
    assert.match(first.url, /nav_to\.do\?uri=incident\.do%3Fsys_id%3D[0-9a-f]{32}$/);
    const again = await create(target, 'fk_sn_1');
    assert.deepEqual([again.created, again.sysId], [false, first.sysId]);
    assert.deepEqual(target.answered('table.create'), { 201: 1 });
    const [record, ...more] = await read(target, {
      correlationId: 'fk_sn_1',
      fields: ['sys_id', 'impact', 'urgency', 'priority', 'correlation_display'],
    });
    assert.equal(more.length, 0);
    assert.deepEqual(record, {
      sys_id: first.sysId,
      impact: '1',
      urgency: '1',
      priority: '1',
      correlation_display: 'Arx',
    });
    await target.assertAudited('servicenow:incidents:create', 2);
  });

  it('updates fields; a resolve without close fields is explained (data policy), with them it applies', async (t) => {
    const target = await open(t, openTestStore);
    const { sysId } = await create(target, 'fk_sn_2');
    const refused = await failure(
      target.call('servicenow:incidents:update', { sysId, fields: { state: 6 } }),
    );
    assert.deepEqual([refused.code, refused.fault], ['data_policy', 'caller']);
    assert.match((refused as { hint?: string }).hint ?? '', /close_code and close_notes/);
    const resolve = {
      sysId,
      fields: { state: '6', close_code: 'Solved (Permanently)', close_notes: 'Public access blocked.' },
    };
    assert.equal((await target.reconcile('servicenow:incidents:update', resolve)).found, false);
    const resolved = await target.call<IncidentRef>('servicenow:incidents:update', resolve);
    assert.equal(resolved.state, '6');
    assert.equal((await target.reconcile('servicenow:incidents:update', resolve)).found, true);
    await target.assertAudited('servicenow:incidents:update', 4);
  });

  it('reads pages lazily by offset cursor', async (t) => {
    const target = await open(t, openTestStore);
    for (const n of [1, 2, 3, 4, 5]) await create(target, `fk_page_${n}`, { correlationDisplay: 'paging' });
    const pages: string[][] = [];
    for await (const page of readPages<Record<string, string>>({
      gate: target.gate,
      context: target.context,
      operation: 'servicenow:incidents:read',
      params: { query: 'correlation_display=paging^ORDERBYnumber', fields: ['correlation_id'], limit: 2 },
    })) {
      pages.push(page.items.map((r) => r.correlation_id ?? ''));
    }
    assert.deepEqual(pages, [['fk_page_1', 'fk_page_2'], ['fk_page_3', 'fk_page_4'], ['fk_page_5']]);
    await target.assertAudited('servicenow:incidents:read', 3);
  });

  it('a create whose answer is lost is found by correlation_id; reconcile through the gate finds it', async (t) => {
    const target = await open(t, openTestStore, {
      lose: ({ method, path, count }) =>
        method === 'POST' && path === '/api/now/table/incident' && count === 1,
    });
    const out = await create(target, 'fk_lost');
    assert.deepEqual(target.lost(), ['POST /api/now/table/incident']);
    assert.equal(out.created, true);
    assert.deepEqual(target.answered('table.create'), { 201: 1 });
    const check = await target.reconcile<CreateIncidentResult>('servicenow:incidents:create', {
      shortDescription: 'x',
      correlationId: 'fk_lost',
    });
    assert.deepEqual([check.found, check.result?.sysId], [true, out.sysId]);
    assert.equal(
      (
        await target.reconcile('servicenow:incidents:create', {
          shortDescription: 'x',
          correlationId: 'fk_other',
        })
      ).found,
      false,
    );
  });

  it('waits out 429 + Retry-After; retries 5xx and broken bodies; a tool that stays down fails retryably', async (t) => {
    const target = await open(t, openTestStore, { faults: { rateLimit: { requests: 2, windowMs: 1000 } } });
    for (const n of [1, 2, 3, 4]) await read(target, { correlationId: `fk_${n}` });
    assert.ok((target.answered('table.list')['429'] ?? 0) >= 1);
    assert.equal(target.answered('table.list')['200'], 4);

    target.emulator.setFaults({ errorRate: 0.25, malformedRate: 0.15 });
    for (const n of [5, 6, 7, 8]) await read(target, { correlationId: `fk_${n}` });
    target.emulator.setFaults({ errorRate: 1 });
    const down = await failure(read(target, { correlationId: 'fk_9' }));
    assert.deepEqual([down.code, down.retryable], ['tool_unavailable', true]);
    const answered = target.answered('table.list');
    assert.ok((answered['500'] ?? 0) > 4, JSON.stringify(answered)); // 4 from the tool that stays down
    await target.assertAudited('servicenow:incidents:read', 9);
  });

  it('a wrong password fails at once and the credential check names the fix', async (t) => {
    const target = await open(t, openTestStore, {
      env: (env) => ({ ...env, SERVICENOW_PASSWORD: 'wrong-password' }),
    });
    const err = await failure(create(target, 'fk_auth'));
    assert.deepEqual([err.code, err.fault], ['unauthorized', 'caller']);
    assert.ok(!err.message.includes('wrong-password'));
    assert.deepEqual(target.answered('table.list'), { 401: 1 });
    const bad = await target.checkCredentials(target.env);
    assert.deepEqual([bad.problem, /SERVICENOW_PASSWORD/.test(bad.message)], ['bad_secret', true]);
    const good = await target.checkCredentials({
      ...target.env,
      SERVICENOW_PASSWORD: 'sandbox-servicenow-password',
    });
    assert.deepEqual([good.ok, good.identity], [true, 'arx-sandbox']);
    const nowhere = await target.checkCredentials({
      ...target.env,
      SERVICENOW_URL: 'http://127.0.0.1:9',
    });
    assert.equal(nowhere.problem, 'unreachable');
  });
});
