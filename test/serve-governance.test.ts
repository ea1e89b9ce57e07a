import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import { gateAccess } from '../src/governance/access.js';
import { approvalJson } from '../src/governance/records-json.js';
import { createApp } from '../src/server/app.js';
import { governanceOverHttp } from '../src/server/governance-client.js';
import { listen } from '../src/server/listen.js';
import { bucketParams, openTestGate, workflow } from './support/gate.js';
import { forEachStore, type OpenTestStore } from './support/stores.js';

/**
 * The approvals and kill-switch routes of `arx serve` over real HTTP, on the real gate and audit trail of a
 * test store: escalated calls made through `gate.execute(..., {wait: 'return'})` are listed, shown and
 * decided through the API, with the gate's rules; the HTTP client the CLI uses reads them back the same.
 * A connector check refused by policy answers as a failed check. The run routes are not under test here (serve.test.ts), so the service's run side refuses if called.
 */
const TOKEN = 'test-governance-token';
const OP = 'aws:s3:put-public-access-block'; // in dev it scores 70: escalated by the thresholds
const escalated = { principal: workflow, resource: { environment: 'dev' }, requestedBy: 'mallory' };
const governance = {
  approvals: {
    approvers: { groups: { platform: ['carol', 'dave'] } },
    rules: [{ operation: 'aws:*', required: 1, from: 'platform' }],
  },
};
// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary response JSON
type Answer = Record<string, any>;
const notUnderTest = () => Promise.reject(new Error('the run side is not under test here'));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serveGate(openTestStore: OpenTestStore, rules: unknown[] = []) {
  const opened = await openTestGate(openTestStore, { governance: { ...governance, rules } });
  const app = createApp(
    { health: notUnderTest, requestRun: notUnderTest, governance: gateAccess(opened.gate) },
    { token: TOKEN },
  );
  const server = await listen(app, 0, '127.0.0.1');
  closers.push(() => server.close());
  const request = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const escalate = async (bucket: string) => {
    const out = await opened.gate.execute(escalated, OP, { ...bucketParams, bucket }, { wait: 'return' });
    assert.equal(out.status, 'pending');
    return out.status === 'pending' ? out.approvalId : '';
  };
  return { ...opened, url: server.url, request, escalate };
}

forEachStore('arx serve governance API', (openTestStore) => {
  it('lists, shows, approves and denies escalated calls with the gate rules; every decision audited', async () => {
    const { request, escalate, gate, audit, calls, url } = await serveGate(openTestStore);
    const first = await escalate('bucket-1');
    const second = await escalate('bucket-2');

    const pending = await request('GET', '/approvals');
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.approvals.map((a: { id: string }) => a.id).sort(), [first, second].sort());
    assert.deepEqual((await request('GET', '/approvals?status=approved')).body.approvals, []);
    const shown = await request('GET', `/approvals/${first}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(
      shown.body,
      approvalJson(await gate.approvals.get(first)),
      'as arx approvals show --json',
    );
    assert.equal(shown.body.params.bucket, 'bucket-1', 'approvers see what they approve');

    const self = await request('POST', `/approvals/${first}/approve`, { as: 'wiz-distribution' });
    assert.equal(self.status, 403);
    assert.equal(self.body.code, 'self_approval');
    assert.match(self.body.message, /cannot decide on their own call/);
    assert.equal(self.body.stack, undefined);
    const outsider = await request('POST', `/approvals/${first}/approve`, { as: 'zed' });
    assert.deepEqual([outsider.status, outsider.body.code], [403, 'not_an_approver']);

    const approved = await request('POST', `/approvals/${first}/approve`, { as: 'carol', comment: 'fine' });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.status, 'approved');
    assert.deepEqual(
      approved.body.decisions.map((d: { approver: string; note: string }) => [d.approver, d.note]),
      [['carol', 'fine']],
    );
    const again = await request('POST', `/approvals/${first}/approve`, { as: 'dave' });
    assert.deepEqual([again.status, again.body.code], [409, 'approval_closed']);

    const denied = await request('POST', `/approvals/${second}/deny`, { as: 'dave', reason: 'not this one' });
    assert.deepEqual([denied.status, denied.body.status], [200, 'denied']);
    const all = await request('GET', '/approvals?status=all');
    assert.deepEqual(all.body.approvals.map((a: { status: string }) => a.status).sort(), [
      'approved',
      'denied',
    ]);

    const decisions = (await audit.entries()).filter((e) => /approval\.(approve|deny)/.test(e.action));
    assert.deepEqual(
      decisions.map((e) => [e.action, e.actor, e.payload.note]),
      [
        ['approval.approve', 'user:carol', 'fine'],
        ['approval.deny', 'user:dave', 'not this one'],
      ],
    );
    assert.equal(calls.length, 0, 'deciding runs nothing by itself');

    // the CLI's client reads the same records back
    const client = governanceOverHttp(url, TOKEN);
    assert.deepEqual(await client.approvals.get(first), await gate.approvals.get(first));
    assert.deepEqual(
      (await client.approvals.list()).map((a) => a.id).sort(),
      (await gate.approvals.list()).map((a) => a.id).sort(),
    );
  });

  it('freezes, suspends and resumes; the gate refuses writes meanwhile; every change audited', async () => {
    const { request, gate, audit, url } = await serveGate(openTestStore);
    const frozen = await request('POST', '/killswitch/freeze', { as: 'alice', reason: 'incident 42' });
    assert.deepEqual([frozen.status, frozen.body], [200, { frozen: true, changed: true }]);
    assert.equal((await request('POST', '/killswitch/freeze', { as: 'alice' })).body.changed, false);
    const suspended = await request('POST', '/killswitch/suspend', {
      principal: 'agent:triage',
      as: 'alice',
    });
    assert.deepEqual(suspended.body, { suspended: 'agent:triage', changed: true });

    const status = await request('GET', '/killswitch');
    assert.deepEqual(
      status.body.entries.map((e: { kind: string; principal: string; actor: string }) => [
        e.kind,
        e.principal,
        e.actor,
      ]),
      [
        ['freeze', '', 'user:alice'],
        ['suspend', 'agent:triage', 'user:alice'],
      ],
    );
    await assert.rejects(
      gate.execute(escalated, OP, bucketParams),
      (err: { denial?: { kind: string } }) => err.denial?.kind === 'kill_switch',
    );

    const client = governanceOverHttp(url, TOKEN);
    assert.equal(await client.killSwitch.resume({ kind: 'agent', id: 'triage' }, { as: 'bob' }), true);
    const resumed = await request('POST', '/killswitch/resume', { as: 'bob', reason: 'over' });
    assert.deepEqual(resumed.body, { resumed: 'writes', changed: true });
    assert.deepEqual((await request('GET', '/killswitch')).body.entries, []);

    const changes = (await audit.entries()).filter((e) => e.kind === 'control');
    assert.deepEqual(
      changes.map((e) => [e.action, e.actor]),
      [
        ['killswitch.freeze', 'user:alice'],
        ['killswitch.freeze', 'user:alice'],
        ['killswitch.suspend', 'user:alice'],
        ['killswitch.resume', 'user:bob'],
        ['killswitch.unfreeze', 'user:bob'],
      ],
    );
  });

  it('a connector check as the operator: denied by policy, a failed check naming the rule, audited', async () => {
    const deny = {
      name: 'no-checks',
      verdict: 'deny',
      priority: 5,
      match: { operation: '*:credentials:test' },
    };
    const { request, audit, url } = await serveGate(openTestStore, [deny]);
    const denied = await request('POST', '/connectors/wiz/test', { as: 'alice' });
    assert.equal(denied.status, 200);
    assert.deepEqual(
      [denied.body.connector, denied.body.ok, denied.body.problem, denied.body.details.rule],
      ['wiz', false, 'denied', 'no-checks'],
    );
    assert.match(denied.body.message, /^denied by no-checks: /);
    const intents = (await audit.entries()).filter((e) => e.action === 'wiz:credentials:test');
    assert.deepEqual(
      intents.map((e) => [e.kind, e.actor, e.verdict]),
      [['intent', 'user:alice', 'deny']],
    );
    const overHttp = await governanceOverHttp(url, TOKEN).connectors.test('wiz', 'bob');
    assert.equal(overHttp.problem, 'denied');

    assert.equal((await request('POST', '/connectors/wiz/test', {})).status, 400, 'who runs it is named');
    const unknown = await request('POST', '/connectors/nope/test', { as: 'alice' });
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'unknown_connector']);
    await assert.rejects(
      governanceOverHttp(url, TOKEN).connectors.test('nope', 'alice'),
      (err: { code?: string; fault?: string }) => err.code === 'unknown_connector' && err.fault === 'caller',
    );
  });

  it('401 without the token or with another; 400 naming the bad field; 404 for an unknown approval', async () => {
    const { request, escalate, gate, url } = await serveGate(openTestStore);
    const id = await escalate('bucket-1');
    for (const token of [null, 'wrong']) {
      const refused = await request('POST', `/approvals/${id}/approve`, { as: 'carol' }, token);
      assert.deepEqual([refused.status, refused.body.code], [401, 'unauthorized']);
      assert.equal((await request('POST', '/killswitch/freeze', { as: 'x' }, token)).status, 401);
    }
    assert.equal((await gate.approvals.get(id)).status, 'pending', 'nothing was decided');
    assert.deepEqual(await gate.killSwitch.status(), [], 'nothing was frozen');

    const noAs = await request('POST', `/approvals/${id}/approve`, { comment: 'who?' });
    assert.deepEqual([noAs.status, noAs.body.code], [400, 'invalid_request']);
    assert.match(noAs.body.message, /\bas\b/);
    const typo = await request('POST', `/approvals/${id}/deny`, { as: 'carol', note: 'x' });
    assert.equal(typo.status, 400, 'deny takes "reason"');
    assert.match(typo.body.message, /note/);
    const noPrincipal = await request('POST', '/killswitch/suspend', { as: 'alice' });
    assert.equal(noPrincipal.status, 400);
    assert.match(noPrincipal.body.message, /principal/);
    assert.equal((await request('POST', '/killswitch/freeze', 'not json')).status, 400);
    const badStatus = await request('GET', '/approvals?status=maybe');
    assert.equal(badStatus.status, 400);
    assert.match(badStatus.body.message, /status/);

    for (const [method, path] of [
      ['GET', '/approvals/apr_nope'],
      ['POST', '/approvals/apr_nope/approve'],
    ] as const) {
      const missing = await request(method, path, method === 'POST' ? { as: 'carol' } : undefined);
      assert.equal(missing.status, 404);
      assert.deepEqual(
        [missing.body.code, missing.body.message, missing.body.hint],
        ['approval_not_found', 'no approval request "apr_nope"', 'list them with: arx approvals list'],
      );
    }
    await assert.rejects(
      governanceOverHttp(url, TOKEN).approvals.get('apr_nope'),
      (err: { code?: string; fault?: string }) => err.code === 'approval_not_found' && err.fault === 'caller',
    );
  });
});
