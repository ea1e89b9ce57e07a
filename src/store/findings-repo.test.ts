import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachStore } from '../../test/support/stores.js';
import { TestClock } from '../core/clock.js';
import type { Finding, Severity } from '../core/finding/model.js';
import { FindingsRepo, UPSERT_BATCH_SIZE } from './findings-repo.js';

/** A compact vulnerability finding; the shape follows src/core/finding/model.ts. */
function finding(key: string, overrides: Partial<Finding> = {}): Finding {
  return {
    finding_key: key,
    class: 'vulnerability',
    title: `CVE-2024-3094 on ${key}`,
    severity: 'high',
    status: 'new',
    resource: { uid: `arn:aws:ec2:us-east-1:123456789012:instance/${key}`, type: 'AwsEc2Instance', tags: {} },
    vulnerability: { cve_uid: 'CVE-2024-3094', packages: [] },
    sources: [{ vendor: 'wiz', uid: `wiz-${key}`, tickets: [] }],
    first_seen_time: '2026-01-10T00:00:00.000Z',
    last_seen_time: '2026-01-10T00:00:00.000Z',
    ...overrides,
  };
}

forEachStore('findings repository', (openTestStore) => {
  it('inserts a new finding and reads it back whole', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    const input = finding('f1', {
      priority: {
        score: 87,
        label: 'P1',
        version: 'p/1',
        factors: [{ name: 'kev', value: true, points: 30, reason: 'in KEV' }],
      },
    });
    assert.deepEqual(await repo.upsert(input), { finding_key: 'f1', outcome: 'inserted' });
    assert.deepEqual(await repo.get('f1'), input);
    assert.equal(await repo.get('missing'), undefined);
  });

  it('merges a second report of the same finding: sources become aliases, first/last seen widen', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    await repo.upsert(
      finding('f1', {
        priority: { score: 60, label: 'P2', version: 'p/1', factors: [] },
        last_seen_time: '2026-01-12T00:00:00.000Z',
      }),
    );
    const second = finding('f1', {
      severity: 'critical',
      sources: [{ vendor: 'prisma', uid: 'P-77', tickets: [] }],
      first_seen_time: '2026-01-05T00:00:00.000Z',
      last_seen_time: '2026-01-11T00:00:00.000Z',
    });
    assert.deepEqual(await repo.upsert(second, 'rawhash-1'), { finding_key: 'f1', outcome: 'merged' });

    const merged = (await repo.get('f1'))!;
    assert.deepEqual(
      merged.sources.map((s) => `${s.vendor}:${s.uid}`),
      ['wiz:wiz-f1', 'prisma:P-77'],
    );
    assert.equal(merged.severity, 'critical', 'the latest report describes the present');
    assert.equal(merged.first_seen_time, '2026-01-05T00:00:00.000Z');
    assert.equal(merged.last_seen_time, '2026-01-12T00:00:00.000Z');
    assert.equal(merged.priority?.score, 60, 'a stored priority survives a report without one');
    assert.equal(await repo.count(), 1);
    assert.equal(await repo.keyForSource('prisma', 'P-77'), 'f1');
    assert.equal(await repo.keyForSource('wiz', 'wiz-f1'), 'f1');
    assert.equal(await repo.count({ severity: 'critical' }), 1);
  });

  it('replaces an alias reported again instead of listing it twice', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    await repo.upsert(finding('f1'));
    await repo.upsert(
      finding('f1', {
        sources: [{ vendor: 'wiz', uid: 'wiz-f1', url: 'https://app.wiz.io/x', tickets: [] }],
      }),
    );
    const sources = (await repo.get('f1'))!.sources;
    assert.equal(sources.length, 1);
    assert.equal(sources[0]!.url, 'https://app.wiz.io/x');
  });

  it('unions aliases in stored order, the incoming copy replacing its stored one, for one alias or several', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    const wiz = (uid: string, url?: string) => ({ vendor: 'wiz', uid, tickets: [], ...(url ? { url } : {}) });
    await repo.upsertMany([finding('one'), finding('two', { sources: [wiz('a'), wiz('b')] })]);
    await repo.upsertMany([
      finding('one', { sources: [wiz('other')] }),
      finding('two', { sources: [wiz('b', 'https://app.wiz.io/b'), wiz('c')] }),
    ]);
    await repo.upsert(finding('one', { sources: [wiz('other', 'https://app.wiz.io/other')] }));
    assert.deepEqual((await repo.get('one'))!.sources, [
      wiz('wiz-one'),
      wiz('other', 'https://app.wiz.io/other'),
    ]);
    assert.deepEqual((await repo.get('two'))!.sources, [
      wiz('a'),
      wiz('b', 'https://app.wiz.io/b'),
      wiz('c'),
    ]);
    await repo.upsert(finding('two', { sources: [wiz('a', 'https://app.wiz.io/a')] }));
    assert.deepEqual(
      (await repo.get('two'))!.sources.map((s) => s.url ?? s.uid),
      ['https://app.wiz.io/a', 'https://app.wiz.io/b', 'c'],
    );
  });

  it('bulk upserts across batches and reports inserted vs merged per input, in order', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    const total = UPSERT_BATCH_SIZE + 20;
    const first = Array.from({ length: total }, (_, i) => finding(`k${String(i).padStart(4, '0')}`));
    const results = await repo.upsertMany(first);
    assert.equal(results.length, total);
    assert.ok(results.every((r) => r.outcome === 'inserted'));
    assert.equal(await repo.count(), total);

    // The same key twice in one call: the first inserts, the second merges into it.
    const again = await repo.upsertMany([
      finding('k0003'),
      finding('new-1'),
      {
        finding: finding('new-1', { sources: [{ vendor: 'qualys', uid: 'q-1', tickets: [] }] }),
        rawHash: 'h',
      },
    ]);
    assert.deepEqual(
      again.map((r) => r.outcome),
      ['merged', 'inserted', 'merged'],
    );
    assert.equal((await repo.get('new-1'))!.sources.length, 2);
  });

  it('keeps one alias row per source record: its raw hash survives a report without one, the last finding wins', async () => {
    const clock = new TestClock('2026-02-01T00:00:00Z');
    const store = await openTestStore({ clock });
    const repo = new FindingsRepo(store.db, store.clock);
    const aliases = () =>
      store.db
        .selectFrom('finding_sources')
        .select(['vendor', 'source_uid', 'finding_key', 'raw_hash', 'seen_at'])
        .orderBy('vendor')
        .orderBy('source_uid')
        .execute();
    await repo.upsertMany([
      { finding: finding('a'), rawHash: 'hash-a' },
      finding('b', {
        sources: [
          { vendor: 'wiz', uid: 'wiz-b', tickets: [] },
          { vendor: 'qualys', uid: 'q-b', tickets: [] },
        ],
      }),
    ]);
    assert.deepEqual(
      (await aliases()).map((row) => [row.vendor, row.source_uid, row.finding_key, row.raw_hash]),
      [
        ['qualys', 'q-b', 'b', null],
        ['wiz', 'wiz-a', 'a', 'hash-a'],
        ['wiz', 'wiz-b', 'b', null],
      ],
    );
    clock.tick(60_000);
    // one source record reported under two findings in one batch: the alias points at the later one
    await repo.upsertMany([
      finding('a'),
      finding('c', { sources: [{ vendor: 'wiz', uid: 'wiz-a', tickets: [] }] }),
    ]);
    const wizA = (await aliases()).find((row) => row.source_uid === 'wiz-a');
    assert.equal(wizA?.finding_key, 'c');
    assert.equal(wizA?.raw_hash, 'hash-a', 'a report without a raw hash keeps the stored one');
    assert.equal(wizA?.seen_at.toISOString(), '2026-02-01T00:01:00.000Z');
    assert.equal(await repo.keyForSource('qualys', 'q-b'), 'b');
  });

  it('lets concurrent writers merge the same findings without losing an alias', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    const keys = Array.from({ length: 300 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    const from = (vendor: string, order: string[]) =>
      order.map((key) => finding(key, { sources: [{ vendor, uid: `${vendor}-${key}`, tickets: [] }] }));
    await Promise.all([
      repo.upsertMany(from('wiz', keys)),
      repo.upsertMany(from('prisma', [...keys].reverse())),
      repo.upsertMany(
        from(
          'orca',
          keys.filter((_, i) => i % 2 === 0),
        ),
      ),
    ]);
    assert.equal(await repo.count(), 300);
    for (const [key, expected] of [
      ['c000', ['orca', 'prisma', 'wiz']],
      ['c150', ['orca', 'prisma', 'wiz']],
      ['c151', ['prisma', 'wiz']],
      ['c299', ['prisma', 'wiz']],
    ] as const) {
      const vendors = (await repo.get(key))!.sources.map((s) => s.vendor).sort();
      assert.deepEqual(vendors, expected, key);
    }
  });

  it('filters by severity, status and class and counts the same set', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    await repo.upsertMany([
      finding('a', { severity: 'critical' }),
      finding('b', { severity: 'low', status: 'resolved' }),
      finding('c', {
        class: 'compliance',
        compliance: { control: 's3_public', standards: [], requirements: [] },
      }),
    ]);
    const keys = async (filter: Parameters<FindingsRepo['list']>[0]) =>
      (await repo.list(filter)).items.map((f) => f.finding_key);
    assert.deepEqual(await keys({ severity: 'critical' }), ['a']);
    assert.deepEqual(await keys({ status: 'resolved' }), ['b']);
    assert.deepEqual(await keys({ class: 'compliance' }), ['c']);
    assert.deepEqual(await keys({ severity: ['critical', 'low'], order: 'key' }), ['a', 'b']);
    assert.equal(await repo.count({ status: 'new' }), 2);
  });

  it('pages with a keyset cursor: every finding exactly once, in order, for each list order', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    const severities: Severity[] = ['low', 'medium', 'high', 'critical'];
    await repo.upsertMany(
      Array.from({ length: 23 }, (_, i) =>
        finding(`p${String(i).padStart(2, '0')}`, {
          severity: severities[i % 4]!,
          last_seen_time: `2026-01-${String(10 + (i % 5)).padStart(2, '0')}T00:00:00.000Z`,
          ...(i % 3 === 0
            ? {}
            : { priority: { score: (i * 7) % 50, label: 'P3' as const, version: 'p/1', factors: [] } }),
        }),
      ),
    );
    for (const order of ['severity', 'priority', 'last_seen', 'key'] as const) {
      const seen: Finding[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await repo.list({ order, limit: 5, ...(after ? { after } : {}) });
        seen.push(...page.items);
        after = page.next;
        pages++;
      } while (after);
      assert.equal(pages, 5, `${order}: 23 findings in pages of 5`);
      assert.equal(new Set(seen.map((f) => f.finding_key)).size, 23, `${order}: no duplicates, none missing`);
      const everything = (await repo.list({ order, limit: 100 })).items;
      assert.deepEqual(
        seen.map((f) => f.finding_key),
        everything.map((f) => f.finding_key),
        `${order}: pages concatenate to the full list`,
      );
    }
    const bySeverity = (await repo.list({ limit: 100 })).items.map((f) => f.severity);
    assert.equal(bySeverity[0], 'critical');
    assert.equal(bySeverity.at(-1), 'low');
  });

  it('pages by last seen without losing timestamptz microseconds in the cursor', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    await repo.upsertMany(
      ['m1', 'm2', 'm3', 'm4'].map((key, i) =>
        finding(key, { last_seen_time: `2026-01-10T00:00:00.12345${i}Z` }),
      ),
    );
    const keys: string[] = [];
    let after: string | undefined;
    do {
      const page = await repo.list({ order: 'last_seen', limit: 1, ...(after ? { after } : {}) });
      keys.push(...page.items.map((f) => f.finding_key));
      after = page.next;
    } while (after);
    assert.deepEqual(keys, ['m4', 'm3', 'm2', 'm1']);
  });

  it('rejects a cursor it did not issue with a usage error', async () => {
    const store = await openTestStore();
    const repo = new FindingsRepo(store.db, store.clock);
    await assert.rejects(repo.list({ after: 'not-a-cursor' }), { code: 'usage' });
  });

  it('sets status in the column and in the stored finding, stamped by the clock', async () => {
    const clock = new TestClock('2026-02-01T00:00:00Z');
    const store = await openTestStore({ clock });
    const repo = new FindingsRepo(store.db, store.clock);
    await repo.upsert(finding('f1'));
    clock.tick(60_000);
    assert.equal(await repo.setStatus('f1', 'resolved'), true);
    assert.equal(await repo.setStatus('missing', 'resolved'), false);
    assert.equal((await repo.get('f1'))!.status, 'resolved');
    const row = await store.db
      .selectFrom('findings')
      .select(['status', 'updated_at'])
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'resolved');
    assert.equal(row.updated_at.toISOString(), '2026-02-01T00:01:00.000Z');
  });
});
