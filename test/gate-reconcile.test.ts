import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isPermissionDenied } from '../src/governance/errors.js';
import type { HandlerContext } from '../src/governance/gate.js';
import { jiraParams, openTestGate, workflow } from './support/gate.js';
import { forEachStore } from './support/stores.js';

/**
 * `gate.reconcile`: a pending write is looked up at the target through the gate, with the broker's
 * credentials, audited, and stopped by a suspended principal; a freeze of writes does not stop it (it reads).
 */
forEachStore('gate.reconcile', (openTestStore) => {
  async function gateWithReconcile() {
    const opened = await openTestGate(openTestStore);
    const seen: Array<{ params: unknown; key: string; credentials: unknown }> = [];
    opened.gate.registerReconciler(
      'jira:issues:create',
      async (params: { findingKey?: string }, ctx: HandlerContext) => {
        seen.push({ params, key: ctx.idempotencyKey, credentials: ctx.credentials });
        return params.findingKey === 'fk_done' ? { key: 'SEC-1' } : undefined;
      },
    );
    return { ...opened, seen };
  }

  it('returns what the target has, with the effect key the write would use, and audits intent and result', async () => {
    const { gate, seen, audit } = await gateWithReconcile();
    const found = await gate.reconcile(
      { principal: workflow, runId: 'r1' },
      'jira:issues:create',
      jiraParams('fk_done'),
    );
    assert.deepEqual(found, {
      found: true,
      result: { key: 'SEC-1' },
      idempotencyKey: 'jira:create:fk_done',
      auditSeq: 1,
    });
    const missing = await gate.reconcile({ principal: workflow }, 'jira:issues:create', jiraParams('fk_new'));
    assert.equal(missing.found, false);
    assert.equal(seen[0]?.key, 'jira:create:fk_done');
    assert.ok(
      (seen[0]?.credentials as Record<string, string> | undefined)?.api_token,
      'the reconcile gets the broker credentials',
    );
    const entries = await audit.entries();
    assert.deepEqual(
      entries.map((e) => [e.kind, e.payload.rule ?? e.payload.found, e.payload.reconcile]),
      [
        ['intent', '(reconcile)', true],
        ['result', true, true],
        ['intent', '(reconcile)', true],
        ['result', false, true],
      ],
    );
  });

  it('is refused for a suspended principal, allowed during a freeze of writes, and explained when missing', async () => {
    const { gate, seen } = await gateWithReconcile();
    await gate.killSwitch.freeze({ actor: 'user:alice', reason: 'incident 42' });
    assert.equal(
      (await gate.reconcile({ principal: workflow }, 'jira:issues:create', jiraParams('fk_done'))).found,
      true,
    );
    await gate.killSwitch.suspend(workflow, { actor: 'user:alice' });
    await assert.rejects(
      gate.reconcile({ principal: workflow }, 'jira:issues:create', jiraParams('fk_done')),
      (err) => {
        assert.ok(isPermissionDenied(err));
        assert.equal(err.denial.kind, 'kill_switch');
        return true;
      },
    );
    assert.equal(seen.length, 1);
    await assert.rejects(
      gate.reconcile({ principal: workflow }, 'jira:issues:search', { jql: 'x' }),
      /no reconcile is registered/,
    );
    assert.throws(
      () => gate.registerReconciler('jira:issues:search', async () => undefined),
      /not a write operation/,
    );
  });
});
