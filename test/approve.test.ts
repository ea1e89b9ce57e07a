import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TestClock } from '../src/core/clock.js';
import { isPermissionDenied } from '../src/governance/errors.js';
import { bucketParams, ManualClock, openTestGate, workflow } from './support/gate.js';
import { forEachStore } from './support/stores.js';

// aws:s3:put-public-access-block in dev scores 70: escalated by the thresholds, no rule needed
const escalated = {
  principal: workflow,
  runId: 'run-7',
  resource: { environment: 'dev' },
  requestedBy: 'mallory',
};
const OP = 'aws:s3:put-public-access-block';

const governance = {
  approvals: {
    expiry: '1h',
    approvers: { groups: { platform: ['carol', 'dave', 'erin'] } },
    rules: [{ operation: 'aws:*', required: 2, from: 'platform' }],
  },
};

async function deniedKind(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isPermissionDenied(err)) return err.denial.kind;
    throw err;
  }
  return 'not denied';
}

forEachStore('approvals', (openTestStore) => {
  it('a blocked caller proceeds once N of M approvers approve that exact call; every step audited', async () => {
    const clock = new ManualClock('2026-03-02T12:00:00Z');
    const { gate, calls, audit } = await openTestGate(openTestStore, { governance, clock });
    const asleep = clock.asleep();
    const running = gate.execute(escalated, OP, bucketParams, {
      idempotencyKey: 'pab:prod-customer-uploads',
    });
    await asleep;
    const [request] = await gate.approvals.list('pending');
    assert.equal(request?.operation, OP);
    assert.equal(request?.required, 2);
    assert.deepEqual(request?.approvers.members, ['carol', 'dave', 'erin']);
    assert.equal(request?.params.bucket, 'prod-customer-uploads', 'approvers see what they approve');

    const afterOne = await gate.approvals.approve(request!.id, { as: 'carol', note: 'ok' });
    assert.equal(afterOne.status, 'pending');
    await assert.rejects(gate.approvals.approve(request!.id, { as: 'carol' }), /already decided/);
    const afterTwo = await gate.approvals.approve(request!.id, { as: 'dave' });
    assert.equal(afterTwo.status, 'approved');
    clock.wake();
    const out = await running;
    assert.equal(out.status, 'done');
    assert.equal(calls.length, 1);

    const actions = (await audit.entries()).map((e) => `${e.kind}:${e.action}:${e.actor}`);
    assert.deepEqual(actions, [
      `intent:${OP}:workflow:wiz-distribution`,
      'approval:approval.request:workflow:wiz-distribution',
      'approval:approval.approve:user:carol',
      'approval:approval.approve:user:dave',
      `result:${OP}:workflow:wiz-distribution`,
    ]);
  });

  it('never lets the principal or the person who started the run approve, nor a non-approver', async () => {
    const { gate, calls } = await openTestGate(openTestStore, {
      governance: { approvals: { approvers: { groups: {} }, rules: [] } },
    });
    const out = await gate.execute(escalated, OP, bucketParams, { wait: 'return' });
    assert.equal(out.status, 'pending');
    const id = out.status === 'pending' ? out.approvalId : '';
    for (const self of ['wiz-distribution', 'workflow:wiz-distribution', 'mallory']) {
      await assert.rejects(
        gate.approvals.approve(id, { as: self }),
        (err: { code?: string }) => err.code === 'self_approval',
      );
    }
    const configured = await openTestGate(openTestStore, { governance });
    const other = await configured.gate.execute(escalated, OP, bucketParams, { wait: 'return' });
    const otherId = other.status === 'pending' ? other.approvalId : '';
    await assert.rejects(
      configured.gate.approvals.approve(otherId, { as: 'zed' }),
      (err: { code?: string }) => err.code === 'not_an_approver',
    );
    assert.equal((await gate.approvals.get(id)).status, 'pending');
    assert.equal(calls.length + configured.calls.length, 0);
  });

  it('a denial ends the wait with PermissionDenied and nothing runs', async () => {
    const clock = new ManualClock('2026-03-02T12:00:00Z');
    const { gate, calls, audit } = await openTestGate(openTestStore, { governance, clock });
    const asleep = clock.asleep();
    const running = deniedKind(gate.execute(escalated, OP, bucketParams));
    await asleep;
    const [request] = await gate.approvals.list('pending');
    await gate.approvals.deny(request!.id, { as: 'erin', note: 'not during the freeze window' });
    clock.wake();
    assert.equal(await running, 'approval_denied');
    assert.equal(calls.length, 0);
    const last = (await audit.entries()).at(-1);
    assert.deepEqual([last?.kind, last?.payload.status], ['result', 'denied']);
  });

  it('an approval that expires counts as denied, and cannot be approved afterwards', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z'); // sleeping advances time at once
    const { gate, calls, audit } = await openTestGate(openTestStore, { governance, clock });
    assert.equal(
      await deniedKind(gate.execute(escalated, OP, bucketParams, { pollMs: 10 * 60_000 })),
      'approval_expired',
    );
    const [request] = await gate.approvals.list();
    assert.equal(request?.status, 'expired');
    await assert.rejects(gate.approvals.approve(request!.id, { as: 'carol' }), /already expired/);
    assert.equal(calls.length, 0);
    assert.ok((await audit.entries()).some((e) => e.action === 'approval.expire'));
  });

  it('an approval of other params never executes these; a restarted run finds its own approved request', async () => {
    const clock = new TestClock('2026-03-02T12:00:00Z');
    const first = await openTestGate(openTestStore, { governance: { approvals: { rules: [] } }, clock });
    const key = 'pab:bucket';
    const pending = await first.gate.execute(escalated, OP, bucketParams, {
      idempotencyKey: key,
      wait: 'return',
    });
    assert.equal(pending.status, 'pending');
    const approvedId = pending.status === 'pending' ? pending.approvalId : '';
    await first.gate.approvals.approve(approvedId, { as: 'carol' });

    // same key, different params: a different request, still pending, nothing runs
    const other = await first.gate.execute(
      escalated,
      OP,
      { ...bucketParams, bucket: 'another-bucket' },
      { idempotencyKey: key, wait: 'return' },
    );
    assert.equal(other.status, 'pending');
    assert.notEqual(other.status === 'pending' && other.approvalId, approvedId);
    assert.equal(first.calls.length, 0);

    // a new process (restart) with the same key and params proceeds on the approval
    const restarted = await openTestGate(openTestStore, {
      governance: { approvals: { rules: [] } },
      clock,
      store: first.store,
    });
    const done = await restarted.gate.execute(escalated, OP, bucketParams, {
      idempotencyKey: key,
      wait: 'return',
    });
    assert.equal(done.status, 'done');
    assert.equal(done.status === 'done' && done.approvalId, approvedId);
    assert.deepEqual(
      restarted.calls.map((c) => c.params.bucket),
      ['prod-customer-uploads'],
    );
  });
});
