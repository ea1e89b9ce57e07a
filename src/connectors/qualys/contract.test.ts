import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openConnectorGate } from '../../../test/support/connector-gate.js';
import { forEachStore } from '../../../test/support/stores.js';
import { TestClock } from '../../core/clock.js';
import { isArxError } from '../../core/errors.js';
import { type RunningEmulator, startEmulator } from '../../sandbox/kit/server.js';
import { createQualysEmulator, QUALYS_SANDBOX_CREDENTIALS } from '../../sandbox/qualys/index.js';
import { DemoTenant } from '../../sandbox/tenant/tenant.js';
import { createConnectorRuntime } from '../kit/runtime.js';
import { type ReadPage, readPages } from '../read-pages.js';
import type { QualysDetectionsPage } from './client.js';
import { qualysCredentialCheck } from './credentials.js';
import { qualysConnector } from './index.js';
import type { KnowledgeBaseEntry, QualysHost } from './normalise-xml.js';

/**
 * The Qualys connector against the Qualys emulator over real HTTP, every call through the real gate. One
 * clock drives Arx and the emulator's rate limiter, so a 409 with X-RateLimit-ToWait-Sec is waited out in
 * no real time.
 */
let clock: TestClock;
let qualys: RunningEmulator;

/**
 * A fresh emulator and clock for each suite: the fault dice are thrown in request order, so each store's pass
 * (both may run in one process) sees exactly the faults a pass alone would.
 */
function useQualys(): void {
  before(async () => {
    clock = new TestClock('2026-03-02T12:00:00Z');
    const tenant = new DemoTenant({ seed: 11, findings: 400, anchor: '2026-03-01T00:00:00Z', clock });
    qualys = await startEmulator(createQualysEmulator({ seed: 11, tenant, random: Math.random }), {
      seed: 11,
      now: () => clock.now().getTime(),
    });
  });
  after(() => qualys.close());
}

const principal = { kind: 'workflow' as const, id: 'critical-vuln-escalation' };
const qualysConfig = (overrides: Record<string, string> = {}) => ({
  url: qualys.url,
  username: QUALYS_SANDBOX_CREDENTIALS.username,
  password: QUALYS_SANDBOX_CREDENTIALS.password,
  ...overrides,
});

const withStatus = (status: string) =>
  Object.values(qualys.stats().requests).reduce((n, byStatus) => n + (byStatus[status] ?? 0), 0);

async function collect(pages: AsyncIterable<ReadPage<QualysHost>>) {
  const out: ReadPage<QualysHost>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

forEachStore('Qualys connector through the gate', (openTestStore) => {
  useQualys();
  const open = (config: Record<string, unknown> = {}) =>
    openConnectorGate(openTestStore, {
      clock,
      connectors: [qualysConnector],
      config: { connectors: { qualys: qualysConfig() }, ...config },
    });
  const read = (gate: Parameters<typeof readPages>[0]['gate'], params: Record<string, unknown>) =>
    collect(
      readPages<QualysHost>({
        gate,
        context: { principal },
        operation: 'qualys:vulnerabilities:read',
        params,
        cursorParam: 'next_url',
      }),
    );

  it('follows WARNING/URL page by page: every host once, in ID order, one audited call per page', async () => {
    const { gate, audited } = await open();
    const everything = await read(gate, { truncation: 10_000 });
    assert.equal(everything.length, 1);
    const total = everything[0]!.items.length;
    assert.ok(total > 8, `the tenant has ${total} Qualys hosts`);

    const pages = await read(gate, { truncation: 3 });
    const ids = pages.flatMap((p) => p.items.map((h) => Number(h.id)));
    assert.equal(ids.length, total);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.equal(pages.length, Math.ceil(total / 3));
    assert.match(pages[0]!.next ?? '', /id_min=\d+/);
    const intents = (await audited('qualys:vulnerabilities:read')).filter((e) => e.kind === 'intent');
    assert.equal(intents.length, 1 + pages.length);
  });

  it('KnowledgeBase: a batch of QIDs in one call maps each to its CVEs', async () => {
    const { gate, audited } = await open();
    const [page] = await read(gate, { truncation: 5 });
    const qids = [...new Set(page!.items.flatMap((h) => h.detections.map((d) => Number(d.qid))))];
    const out = await gate.execute<{ items: KnowledgeBaseEntry[] }>(
      { principal },
      'qualys:knowledgebase:read',
      {
        qids,
      },
    );
    assert.equal(out.status, 'done');
    assert.deepEqual(out.result.items.map((e) => Number(e.qid)).sort(), [...qids].sort());
    assert.ok(out.result.items.every((e) => e.cves.every((cve) => /^CVE-\d{4}-\d+$/.test(cve))));
    assert.ok(out.result.items.some((e) => e.cves.length > 0));
    assert.equal((await audited('qualys:knowledgebase:read')).filter((e) => e.kind === 'intent').length, 1);
  });

  it('409 with X-RateLimit-ToWait-Sec: the governor pauses, the read completes', async () => {
    const { gate } = await open();
    const blockedBefore = withStatus('409');
    qualys.setFaults({ rateLimit: { requests: 3, windowMs: 30_000, scope: 'key' } });
    const auth = `Basic ${Buffer.from(`${QUALYS_SANDBOX_CREDENTIALS.username}:${QUALYS_SANDBOX_CREDENTIALS.password}`).toString('base64')}`;
    const pages: ReadPage<QualysHost>[] = [];
    try {
      for await (const page of readPages<QualysHost>({
        gate,
        context: { principal },
        operation: 'qualys:vulnerabilities:read',
        params: { truncation: 2 },
        cursorParam: 'next_url',
      })) {
        pages.push(page);
        if (pages.length === 1) {
          // another script on the same API user spends the quota our governor still counts on
          for (let i = 0; i < 3; i++) {
            await fetch(`${qualys.url}/api/2.0/fo/knowledge_base/vuln/?action=list&ids=1`, {
              headers: { authorization: auth, 'x-requested-with': 'other-script' },
            });
          }
        }
      }
    } finally {
      qualys.setFaults({});
    }
    assert.ok(pages.length > 2);
    assert.equal(pages.at(-1)?.next, undefined);
    assert.ok(withStatus('409') > blockedBefore, 'the emulator blocked us');
  });

  it('5xx and cut-short XML are retried: the read still returns every host once', async () => {
    const { gate } = await open();
    const [all] = await read(gate, { truncation: 10_000 });
    const failedBefore = withStatus('503');
    qualys.setFaults({ errorRate: 0.25, malformedRate: 0.2 });
    let pages: ReadPage<QualysHost>[];
    try {
      pages = await read(gate, { truncation: 2 });
    } finally {
      qualys.setFaults({});
    }
    const ids = pages.flatMap((p) => p.items.map((h) => h.id));
    assert.deepEqual(
      ids,
      all!.items.map((h) => h.id),
    );
    assert.ok(withStatus('503') > failedBefore, 'faults were injected');
  });

  it('a wrong password fails as unauthorized, audited, without the password anywhere', async () => {
    const { gate, audited } = await open({
      connectors: { qualys: qualysConfig({ password: 'wrong-pass-77q' }) },
    });
    await assert.rejects(gate.execute({ principal }, 'qualys:vulnerabilities:read', {}), (err: unknown) => {
      assert.ok(isArxError(err));
      assert.equal(err.code, 'unauthorized');
      assert.match(err.message, /Bad Login/);
      assert.doesNotMatch(err.message, /wrong-pass-77q/);
      return true;
    });
    const [result] = (await audited('qualys:vulnerabilities:read')).filter((e) => e.kind === 'result');
    assert.equal(result?.payload.error_code, 'unauthorized');
  });

  it('a next_url that is not the detection list is refused before any request', async () => {
    const { gate } = await open();
    const before = qualys.stats().total;
    await assert.rejects(
      gate.execute<QualysDetectionsPage>({ principal }, 'qualys:vulnerabilities:read', {
        next_url: `${qualys.url}/api/2.0/fo/scan/?action=launch`,
      }),
      (err: unknown) => isArxError(err) && err.code === 'invalid_request',
    );
    assert.equal(qualys.stats().total, before);
  });
});

describe('Qualys credential check', () => {
  useQualys();

  it('connectors test: explains a good setup, a bad password, a wrong URL and an unreachable host', async () => {
    const runtime = createConnectorRuntime({ clock });
    const ok = await qualysCredentialCheck.test(qualysConfig(), runtime, {});
    assert.equal(ok.ok, true, ok.message);
    const bad = await qualysCredentialCheck.test(qualysConfig({ password: 'nope-nope' }), runtime, {});
    assert.equal(bad.problem, 'bad_secret');
    assert.match(bad.message, /QUALYS_PASSWORD/);
    const wrong = await qualysCredentialCheck.test(
      qualysConfig({ url: `${qualys.url}/not-qualys` }),
      runtime,
      {},
    );
    assert.equal(wrong.problem, 'wrong_url');
    const down = await qualysCredentialCheck.test(qualysConfig({ url: 'http://127.0.0.1:9' }), runtime, {});
    assert.equal(down.problem, 'unreachable');
  });
});
