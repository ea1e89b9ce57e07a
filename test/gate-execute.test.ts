import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { isPermissionDenied, type PermissionDenied } from '../src/governance/errors.js';
import { listDriftEvents } from '../src/store/drift-repo.js';
import { openStore } from '../src/store/open.js';
import { bucketParams, jiraParams, openTestGate, TEST_SECRET, workflow } from './support/gate.js';
import { forEachStore } from './support/stores.js';

async function denial(promise: Promise<unknown>): Promise<PermissionDenied> {
  try {
    await promise;
  } catch (err) {
    if (isPermissionDenied(err)) return err;
    throw err;
  }
  assert.fail('expected PermissionDenied');
}

forEachStore('gate.execute', (openTestStore) => {
  it('allows, resolves credentials for the handler only, and audits intent then result', async () => {
    const { gate, audit, calls } = await openTestGate(openTestStore);
    const out = await gate.execute(
      { principal: workflow, runId: 'run-1', resource: { environment: 'prod' } },
      'jira:issues:create',
      jiraParams(),
    );
    assert.equal(out.status, 'done');
    assert.equal(out.verdict, 'allow');
    assert.deepEqual(out.status === 'done' && out.result, { id: 'jira:issues:create#1' });
    assert.equal(calls.length, 1);
    assert.equal((calls[0]!.credentials as Record<string, string>).api_token, TEST_SECRET);
    assert.equal(calls[0]!.idempotencyKey, 'jira:create:fk_1');
    assert.ok(!JSON.stringify(out).includes(TEST_SECRET), 'the caller never sees a credential');

    const [intent, result] = await audit.entries();
    assert.equal(intent?.kind, 'intent');
    assert.equal(intent?.verdict, 'allow');
    assert.equal(intent?.risk, 55);
    assert.equal(intent?.run_id, 'run-1');
    assert.equal((intent!.payload.factors as unknown[]).length, 4);
    assert.equal(intent?.payload.inputs_hash, out.paramsHash);
    assert.equal(result?.kind, 'result');
    assert.equal(result?.payload.status, 'ok');
    assert.equal(result?.payload.intent_seq, intent?.seq);
    assert.match(String(result?.payload.outputs_hash), /^[0-9a-f]{64}$/);
    assert.equal((await audit.verify()).ok, true);
  });

  it('denies by rule, naming it, without calling the handler; the denial is audited', async () => {
    const { gate, calls, audit } = await openTestGate(openTestStore, {
      governance: {
        rules: [{ name: 'no-tickets', verdict: 'deny', priority: 5, match: { operation: 'jira:*' } }],
      },
    });
    const err = await denial(gate.execute({ principal: workflow }, 'jira:issues:create', jiraParams()));
    assert.equal(err.denial.rule, 'no-tickets');
    assert.equal(err.denial.kind, 'policy');
    assert.match(err.message, /jira:issues:create denied by no-tickets/);
    assert.equal(calls.length, 0);
    const entries = await audit.entries();
    assert.deepEqual(
      entries.map((e) => [e.kind, e.verdict]),
      [['intent', 'deny']],
    );
    assert.equal(err.denial.auditSeq, entries[0]!.seq);
  });

  it('denies unknown operations and invalid params (fail closed), audited', async () => {
    const { gate, calls, audit } = await openTestGate(openTestStore);
    const unknown = await denial(gate.execute({ principal: workflow }, 'jira:issues:delete', {}));
    assert.equal(unknown.denial.rule, '(unknown-operation)');
    const invalid = await denial(
      gate.execute({ principal: workflow }, 'jira:issues:create', { project: 'SEC' }),
    );
    assert.equal(invalid.denial.kind, 'invalid_params');
    assert.match(invalid.denial.reasons.join(), /params\.summary/);
    assert.equal(calls.length, 0);
    assert.equal((await audit.entries()).length, 2);
  });

  it('does not act when the audit trail cannot be written', async () => {
    const { gate, store, calls } = await openTestGate(openTestStore);
    await sql`alter table audit_head rename to audit_head_gone`.execute(store.db);
    await assert.rejects(
      gate.execute({ principal: workflow }, 'jira:issues:create', jiraParams()),
      (err: Error & { code?: string }) => err.code === 'audit_unavailable',
    );
    assert.equal(calls.length, 0);
  });

  it('hands back no answer of a read whose intent cannot be written', async () => {
    const { gate, store, calls } = await openTestGate(openTestStore);
    await sql`alter table audit_head rename to audit_head_gone`.execute(store.db);
    await assert.rejects(
      gate.execute({ principal: workflow }, 'wiz:findings:read', { kind: 'issues', first: 10 }),
      (err: Error & { code?: string }) => err.code === 'audit_unavailable',
    );
    // a read changes nothing, so it may have run alongside the intent's write; its answer never left the gate
    assert.ok(calls.length <= 1);
  });

  it('records each result after its intent, in call order, and verifies clean', async () => {
    const { gate, audit, calls } = await openTestGate(openTestStore);
    const read = { kind: 'issues', first: 10 };
    await Promise.all(
      Array.from({ length: 20 }, () => gate.execute({ principal: workflow }, 'wiz:findings:read', read)),
    );
    await gate.execute({ principal: workflow }, 'jira:issues:create', jiraParams('fk_9'));
    const entries = await audit.entries();
    assert.equal(calls.length, 21);
    assert.equal(entries.filter((e) => e.kind === 'intent').length, 21);
    const results = entries.filter((e) => e.kind === 'result');
    assert.equal(results.length, 21);
    for (const result of results) {
      const intentSeq = result.payload.intent_seq as number;
      const intent = entries.find((e) => e.seq === intentSeq);
      assert.equal(intent?.kind, 'intent');
      assert.ok(intentSeq < result.seq, 'a result comes after its intent');
    }
    assert.equal((await audit.verify()).ok, true);
  });

  it('escalates and, with wait "return", hands back a pending approval without acting', async () => {
    const { gate, calls } = await openTestGate(openTestStore);
    const out = await gate.execute(
      { principal: workflow, resource: { environment: 'dev' } },
      'aws:s3:put-public-access-block',
      bucketParams,
      { wait: 'return' },
    );
    assert.equal(out.status, 'pending');
    assert.equal(out.verdict, 'escalate');
    assert.equal(out.rule, '(thresholds)');
    const approval = out.status === 'pending' ? await gate.approvals.get(out.approvalId) : undefined;
    assert.equal(approval?.status, 'pending');
    assert.equal(approval?.paramsHash, out.paramsHash);
    assert.equal(calls.length, 0);
  });

  it('in dry-run evaluates and audits but does not call write handlers; reads still run', async () => {
    const { gate, calls, audit } = await openTestGate(openTestStore);
    const write = await gate.execute(
      { principal: workflow, dryRun: true },
      'jira:issues:create',
      jiraParams(),
    );
    assert.equal(write.status, 'dry_run');
    assert.equal(write.verdict, 'allow');
    const read = await gate.execute({ principal: workflow, dryRun: true }, 'wiz:findings:read', {});
    assert.equal(read.status, 'done');
    assert.deepEqual(
      calls.map((c) => c.operation),
      ['wiz:findings:read'],
    );
    const results = (await audit.entries()).filter((e) => e.kind === 'result');
    assert.deepEqual(
      results.map((r) => r.payload.status),
      ['skipped', 'ok'],
    );
  });

  it('audits handler failures with secrets scrubbed and rethrows', async () => {
    const { gate, audit } = await openTestGate(openTestStore);
    await assert.rejects(
      gate.execute({ principal: workflow }, 'jira:issues:create', { ...jiraParams(), summary: 'fail' }),
      /tool failed/,
    );
    const result = (await audit.entries()).find((e) => e.kind === 'result');
    assert.equal(result?.payload.status, 'error');
    assert.ok(!JSON.stringify(result).includes(TEST_SECRET));
  });

  it('keeps a connector to the operations arx.yaml allows it', async () => {
    const { gate, calls } = await openTestGate(openTestStore, {
      connectors: { wiz: { operations: ['wiz:findings:read'] } },
    });
    await gate.execute({ principal: workflow }, 'wiz:findings:read', {});
    const err = await denial(
      gate.execute({ principal: workflow }, 'wiz:issues:update', {
        issueId: 'i1',
        patch: { status: 'RESOLVED' },
      }),
    );
    assert.equal(err.denial.rule, '(connector-scope)');
    assert.equal(calls.length, 1);
  });

  it('raises the risk score with the principal’s session frequency until calls escalate', async () => {
    const { gate } = await openTestGate(openTestStore, {
      governance: { risk_weights: { session_frequency: { free_calls: 2, points_per_call: 10, cap: 50 } } },
    });
    const ctx = { principal: workflow, resource: { environment: 'prod' } };
    const outcomes: string[] = [];
    for (let n = 0; n < 5; n++) {
      const out = await gate.execute(ctx, 'jira:issues:create', jiraParams(`fk_${n}`), { wait: 'return' });
      outcomes.push(`${out.score} ${out.verdict}`);
    }
    // two free calls in the window, then 10 points per earlier call
    assert.deepEqual(outcomes, ['55 allow', '55 allow', '55 allow', '65 allow', '75 escalate']);
  });
});

forEachStore('gate.execute: kill switch', (openTestStore, driver) => {
  it('a freeze stops a running caller at its next write, reads go on, resume lifts it', async (t) => {
    const { gate, store, calls, clock, audit } = await openTestGate(openTestStore);
    // the operator's CLI is another process: on PostgreSQL its own connection pool, on PGlite (one owning
    // process) a second gate on the same store
    const operatorStore =
      driver === 'postgres'
        ? await openStore({ databaseUrl: process.env.DATABASE_URL!, schema: store.schema!, clock })
        : store;
    if (operatorStore !== store) t.after(() => operatorStore.close());
    const operator = await openTestGate(openTestStore, { store: operatorStore, clock });
    const ctx = { principal: workflow, resource: { environment: 'prod' } };
    await gate.execute(ctx, 'jira:issues:create', jiraParams('a'));
    await operator.gate.killSwitch.freeze({ actor: 'user:alice', reason: 'incident 42' });
    const err = await denial(gate.execute(ctx, 'jira:issues:create', jiraParams('b')));
    assert.equal(err.denial.kind, 'kill_switch');
    assert.match(err.message, /frozen by user:alice .*incident 42/);
    await gate.execute(ctx, 'wiz:findings:read', {});
    await operator.gate.killSwitch.resume(undefined, { actor: 'user:alice' });
    await gate.execute(ctx, 'jira:issues:create', jiraParams('c'));
    assert.deepEqual(
      calls.map((c) => c.params.findingKey ?? c.operation),
      ['a', 'wiz:findings:read', 'c'],
    );
    const controls = (await audit.entries()).filter((e) => e.kind === 'control').map((e) => e.action);
    assert.deepEqual(controls, ['killswitch.freeze', 'killswitch.unfreeze']);
  });

  it('a suspension stops one principal entirely and outranks an allow rule', async () => {
    const { gate, calls } = await openTestGate(openTestStore, {
      governance: { rules: [{ name: 'all', verdict: 'allow', priority: 100, max_risk: 100 }] },
    });
    await gate.killSwitch.suspend(workflow, { actor: 'user:alice' });
    assert.equal(
      (await denial(gate.execute({ principal: workflow }, 'wiz:findings:read', {}))).denial.kind,
      'kill_switch',
    );
    await gate.execute({ principal: { kind: 'agent', id: 'triage' } }, 'wiz:findings:read', {});
    await gate.killSwitch.resume(workflow, { actor: 'user:alice' });
    await gate.execute({ principal: workflow }, 'wiz:findings:read', {});
    assert.equal(calls.length, 2);
  });
});

forEachStore('gate.execute: drift', (openTestStore) => {
  const manifest = (response: string, extra: object = {}) => ({
    drift: [
      {
        principal: 'workflow:wiz-*',
        systems: ['wiz', 'jira'],
        operations: ['wiz:findings:read', 'jira:issues:*'],
        response,
        ...extra,
      },
    ],
  });

  it('alert: records the drift event and lets the call through', async () => {
    const { gate, store, calls } = await openTestGate(openTestStore, { governance: manifest('alert') });
    await gate.execute({ principal: workflow }, 'slack:chat:write', { channel: '#x', text: 'hi' });
    assert.equal(calls.length, 1);
    const events = await listDriftEvents(store.db);
    assert.deepEqual(events.map((e) => e.violation).sort(), ['operation', 'system']);
    assert.equal(events[0]?.response, 'alert');
  });

  it('escalate: an allowed call outside the manifest needs an approval', async () => {
    const { gate, calls } = await openTestGate(openTestStore, { governance: manifest('escalate') });
    const out = await gate.execute(
      { principal: workflow },
      'slack:chat:write',
      { channel: '#x', text: 'hi' },
      { wait: 'return' },
    );
    assert.equal(out.status, 'pending');
    assert.equal(out.rule, '(drift)');
    assert.equal(calls.length, 0);
  });

  it('deny: refuses calls outside the manifest, allows those inside', async () => {
    const { gate, calls } = await openTestGate(openTestStore, { governance: manifest('deny') });
    assert.equal(
      (await denial(gate.execute({ principal: workflow }, 'slack:chat:write', { channel: '#x', text: 'hi' })))
        .denial.kind,
      'drift',
    );
    await gate.execute({ principal: workflow }, 'wiz:findings:read', {});
    assert.equal(calls.length, 1);
  });

  it('suspend: refuses and suspends the principal; rate limits count as drift', async () => {
    const { gate, calls } = await openTestGate(openTestStore, {
      governance: manifest('suspend', { max_calls_per_hour: 2 }),
    });
    await gate.execute({ principal: workflow }, 'wiz:findings:read', {});
    await gate.execute({ principal: workflow }, 'wiz:findings:read', {});
    const third = await denial(gate.execute({ principal: workflow }, 'wiz:findings:read', {}));
    assert.equal(third.denial.kind, 'drift');
    assert.match(third.denial.reasons.join(), /3 calls in the past hour exceed the declared 2/);
    const after = await denial(gate.execute({ principal: workflow }, 'wiz:findings:read', {}));
    assert.equal(after.denial.kind, 'kill_switch');
    assert.equal(calls.length, 2);
  });
});
