import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openConnectorGate as connectorGate } from '../../../test/support/connector-gate.js';
import { forEachStore } from '../../../test/support/stores.js';
import { TestClock } from '../../core/clock.js';
import { isArxError } from '../../core/errors.js';
import { isPermissionDenied } from '../../governance/errors.js';
import { type RunningEmulator, startEmulator } from '../../sandbox/kit/server.js';
import { DemoTenant } from '../../sandbox/tenant/tenant.js';
import { WIZ_SANDBOX_CREDENTIALS } from '../../sandbox/wiz/auth.js';
import { createWizEmulator } from '../../sandbox/wiz/index.js';
import { createConnectorRuntime } from '../kit/runtime.js';
import { type ReadPage, readPages } from '../read-pages.js';
import type { WizPage } from './client.js';
import { wizCredentialCheck } from './credentials.js';
import { wizConnector } from './index.js';

/**
 * The Wiz connector against the Wiz emulator over real HTTP, every call through the real gate. One clock
 * drives Arx (token cache, rate governor, backoff) and the emulator (token expiry, rate limiting), so
 * waiting out a Retry-After costs no real time. `skewMs` lets the emulator's clock run ahead of ours.
 */
const clock = new TestClock('2026-03-02T12:00:00Z');
let skewMs = 0;
const tenant = new DemoTenant({ seed: 7, findings: 60, anchor: '2026-03-01T00:00:00Z', clock });
let wiz: RunningEmulator;

before(async () => {
  wiz = await startEmulator(
    createWizEmulator(
      { seed: 7, tenant, random: Math.random },
      { now: () => clock.now().getTime() + skewMs },
    ),
    { seed: 7, now: () => clock.now().getTime() + skewMs },
  );
});
after(() => wiz.close());

const principal = { kind: 'workflow' as const, id: 'wiz-finding-distribution' };
const wizConfig = (overrides: Record<string, string> = {}) => ({
  client_id: WIZ_SANDBOX_CREDENTIALS.clientId,
  client_secret: WIZ_SANDBOX_CREDENTIALS.clientSecret,
  api_url: `${wiz.url}/graphql`,
  auth_url: `${wiz.url}/oauth/token`,
  ...overrides,
});

async function collect<T>(pages: AsyncIterable<ReadPage<T>>): Promise<ReadPage<T>[]> {
  const out: ReadPage<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** Answers with this status across every operation (a 5xx is injected before the body names one). */
const withStatus = (status: string) =>
  Object.values(wiz.stats().requests).reduce((n, byStatus) => n + (byStatus[status] ?? 0), 0);

const requests = (operation: string, status?: string) => {
  const byStatus = wiz.stats().requests[operation] ?? {};
  return status ? (byStatus[status] ?? 0) : Object.values(byStatus).reduce((a, b) => a + b, 0);
};

forEachStore('Wiz connector through the gate', (openTestStore) => {
  const open = (config: Record<string, unknown> = {}) =>
    connectorGate(openTestStore, {
      clock,
      connectors: [wizConnector],
      config: { connectors: { wiz: wizConfig() }, ...config },
    });

  it('pages issues lazily, one audited gate call per page, every issue exactly once', async () => {
    const { gate, audited } = await open();
    const total = tenant.count('issue');
    const pages = await collect(
      readPages<{ id: string }>({
        gate,
        context: { principal },
        operation: 'wiz:findings:read',
        params: { kind: 'issues', first: 7 },
      }),
    );
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
    assert.equal(pages.length, Math.ceil(total / 7));
    assert.equal(pages.at(-1)?.next, undefined);
    const intents = (await audited('wiz:findings:read')).filter((e) => e.kind === 'intent');
    assert.equal(intents.length, pages.length);
    assert.deepEqual(
      pages.map((p) => p.auditSeq),
      intents.map((e) => e.seq),
    );
    const results = (await audited('wiz:findings:read')).filter((e) => e.kind === 'result');
    assert.ok(results.every((e) => e.payload.status === 'ok'));
  });

  it('asks for the next page only when the consumer wants it', async () => {
    const { gate, audited } = await open();
    for await (const page of readPages({
      gate,
      context: { principal },
      operation: 'wiz:findings:read',
      params: { kind: 'vulnerabilities', first: 5 },
    })) {
      assert.equal(page.items.length, 5);
      assert.ok(page.next);
      break;
    }
    assert.equal((await audited('wiz:findings:read')).filter((e) => e.kind === 'intent').length, 1);
  });

  it('an exact last page ends without an empty extra page; an empty result is one empty page', async () => {
    const { gate } = await open();
    const total = tenant.count('issue');
    const whole = await collect(
      readPages({ gate, context: { principal }, operation: 'wiz:findings:read', params: { first: total } }),
    );
    assert.deepEqual(
      whole.map((p) => [p.items.length, p.next]),
      [[total, undefined]],
    );
    const none = await collect(
      readPages({
        gate,
        context: { principal },
        operation: 'wiz:findings:read',
        params: { kind: 'issues', since: '2099-01-01T00:00:00Z' },
      }),
    );
    assert.deepEqual(
      none.map((p) => p.items.length),
      [0],
    );
  });

  it('filters by severity and status, as Wiz names them', async () => {
    const { gate } = await open();
    const out = await gate.execute<WizPage>({ principal }, 'wiz:findings:read', {
      kind: 'issues',
      severities: ['CRITICAL', 'HIGH'],
      status: ['OPEN'],
      first: 100,
    });
    assert.equal(out.status, 'done');
    const items = out.result.items as Array<{ severity: string; status: string }>;
    assert.ok(items.length > 0);
    assert.ok(items.every((i) => ['CRITICAL', 'HIGH'].includes(i.severity) && i.status === 'OPEN'));
  });

  it('a stale token is refreshed once on 401 and the page still arrives, in one audited call', async () => {
    const { gate, audited } = await open();
    await gate.execute({ principal }, 'wiz:findings:read', { first: 1 });
    const tokensBefore = requests('oauth.token');
    skewMs = 2 * 86_400_000; // the tool's clock says our cached token expired long ago
    try {
      const out = await gate.execute<WizPage>({ principal }, 'wiz:findings:read', { first: 2 });
      assert.equal(out.status, 'done');
      assert.equal(out.result.items.length, 2);
    } finally {
      skewMs = 0;
    }
    assert.equal(requests('oauth.token') - tokensBefore, 1);
    assert.equal((await audited('wiz:findings:read')).filter((e) => e.kind === 'intent').length, 2);
  });

  it('a wrong client secret fails as unauthorized, audited, without the secret anywhere', async () => {
    const { gate, audited } = await open({
      connectors: { wiz: wizConfig({ client_secret: 'not-the-secret-9f3k' }) },
    });
    await assert.rejects(gate.execute({ principal }, 'wiz:findings:read', {}), (err: unknown) => {
      assert.ok(isArxError(err));
      assert.equal(err.code, 'unauthorized');
      assert.doesNotMatch(err.message, /not-the-secret-9f3k/);
      return true;
    });
    const [result] = (await audited('wiz:findings:read')).filter((e) => e.kind === 'result');
    assert.equal(result?.payload.status, 'error');
    assert.equal(result?.payload.error_code, 'unauthorized');
    assert.doesNotMatch(JSON.stringify(result?.payload), /not-the-secret-9f3k/);
  });

  it('429 with Retry-After: the governor waits it out and the read completes', async () => {
    const { gate } = await open();
    wiz.setFaults({ rateLimit: { requests: 2, windowMs: 1000 } });
    try {
      const pages = await collect(
        readPages({
          gate,
          context: { principal },
          operation: 'wiz:findings:read',
          params: { kind: 'issues', first: 10 },
        }),
      );
      assert.equal(
        pages.reduce((n, p) => n + p.items.length, 0),
        tenant.count('issue'),
      );
      assert.ok(withStatus('429') > 0, 'the emulator limited us');
    } finally {
      wiz.setFaults({});
    }
  });

  it('5xx and cut-short bodies are retried: a full read still returns every issue once', async () => {
    const { gate } = await open();
    const failedBefore = withStatus('503');
    wiz.setFaults({ errorRate: 0.25, malformedRate: 0.2 });
    try {
      const pages = await collect(
        readPages<{ id: string }>({
          gate,
          context: { principal },
          operation: 'wiz:findings:read',
          params: { kind: 'issues', first: 6 },
        }),
      );
      const ids = pages.flatMap((p) => p.items.map((i) => i.id));
      assert.equal(new Set(ids).size, tenant.count('issue'));
      assert.equal(ids.length, tenant.count('issue'));
    } finally {
      wiz.setFaults({});
    }
    assert.ok(withStatus('503') > failedBefore, 'faults were injected');
  });

  it('a tool that keeps failing: the error is retryable, audited, and the attempts are bounded', async () => {
    const { gate, audited } = await open();
    await gate.execute({ principal }, 'wiz:findings:read', { first: 1 }); // token cached first
    const before = requests('issuesV2');
    wiz.setFaults({ malformedRate: 1 });
    try {
      await assert.rejects(gate.execute({ principal }, 'wiz:findings:read', { first: 3 }), (err: unknown) => {
        assert.ok(isArxError(err));
        assert.equal(err.code, 'malformed_response');
        assert.equal(err.retryable, true);
        return true;
      });
    } finally {
      wiz.setFaults({});
    }
    assert.equal(requests('issuesV2') - before, 4, 'RETRY_DEFAULT: four attempts');
    const results = (await audited('wiz:findings:read')).filter((e) => e.kind === 'result');
    assert.equal(results.at(-1)?.payload.error_code, 'malformed_response');
  });

  it('the seed policy denies Wiz mutations: a denial, audited, and nothing reaches Wiz', async () => {
    const { gate, audited } = await open({
      governance: {
        rules: [
          {
            name: 'deny-wiz-writes',
            priority: 100,
            verdict: 'deny',
            match: { connector: 'wiz', operation: 'wiz:issues:*' },
          },
        ],
      },
    });
    const issueId = 'any-issue-id';
    const before = requests('updateIssue');
    await assert.rejects(
      gate.execute({ principal }, 'wiz:issues:update', { issueId, patch: { status: 'IN_PROGRESS' } }),
      (err: unknown) => isPermissionDenied(err) && err.denial.rule === 'deny-wiz-writes',
    );
    assert.equal(requests('updateIssue'), before);
    const [intent] = await audited('wiz:issues:update');
    assert.equal(intent?.verdict, 'deny');
  });

  it('allowed writes: updateIssue sets state; a note is added once however often it is asked', async () => {
    const { gate } = await open();
    const first = await gate.execute<WizPage>({ principal }, 'wiz:findings:read', {
      status: ['OPEN'],
      first: 1,
    });
    assert.equal(first.status, 'done');
    const issueId = (first.result.items[0] as { id: string }).id;
    const updated = await gate.execute<{ issue: { status: string } }>({ principal }, 'wiz:issues:update', {
      issueId,
      patch: { status: 'IN_PROGRESS' },
    });
    assert.equal(updated.status === 'done' && updated.result.issue.status, 'IN_PROGRESS');
    const note = { issueId, text: 'Jira SEC-412 created by Arx' };
    const a = await gate.execute<{ created: boolean; noteId: string }>(
      { principal },
      'wiz:issues:comment',
      note,
    );
    // a retried call with a different key (as after a crash before the ledger recorded it)
    const b = await gate.execute<{ created: boolean; noteId: string }>(
      { principal },
      'wiz:issues:comment',
      note,
      {
        idempotencyKey: 'retry-after-crash',
      },
    );
    assert.ok(a.status === 'done' && b.status === 'done');
    assert.equal(a.result.created, true);
    assert.equal(b.result.created, false);
    assert.equal(b.result.noteId, a.result.noteId);
    // after an ambiguous failure the engine asks Wiz first: the note is found, nothing is written
    const found = await gate.reconcile<{ noteId: string }>({ principal }, 'wiz:issues:comment', note);
    assert.equal(found.found, true);
    assert.equal(found.result?.noteId, a.result.noteId);
    const absent = await gate.reconcile({ principal }, 'wiz:issues:comment', {
      issueId,
      text: 'never written',
    });
    assert.equal(absent.found, false);
  });

  it('params the catalog refuses never reach Wiz', async () => {
    const { gate } = await open();
    await assert.rejects(
      gate.execute({ principal }, 'wiz:findings:read', { kind: 'configuration', status: ['OPEN'] }),
      (err: unknown) =>
        isPermissionDenied(err) && /not a configuration status/.test(err.denial.reasons[0] ?? ''),
    );
  });
});

it('connectors test: explains a good setup, a bad secret, a wrong URL and an unreachable host', async () => {
  const runtime = createConnectorRuntime({ clock });
  const ok = await wizCredentialCheck.test(wizConfig(), runtime, {});
  assert.equal(ok.ok, true, ok.message);
  const bad = await wizCredentialCheck.test(wizConfig({ client_secret: 'wrong-secret-xx' }), runtime, {});
  assert.equal(bad.problem, 'bad_secret');
  assert.match(bad.message, /WIZ_CLIENT_SECRET/);
  const wrongUrl = await wizCredentialCheck.test(
    wizConfig({ api_url: `${wiz.url}/nothing-here` }),
    runtime,
    {},
  );
  assert.equal(wrongUrl.problem, 'wrong_url');
  const unreachable = await wizCredentialCheck.test(
    wizConfig({ auth_url: 'http://127.0.0.1:9/oauth/token' }),
    runtime,
    {},
  );
  assert.equal(unreachable.problem, 'unreachable');
  const missing = await wizCredentialCheck.test(undefined, runtime, {});
  assert.equal(missing.problem, 'missing_config');
  assert.match(missing.message, /WIZ_CLIENT_ID/);
});
