import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { enrichVulnerability } from './enrich.js';
import { indexSnapshot } from './intel-index.js';
import { loadIntel, readSnapshotFile, SHIPPED_SNAPSHOT_PATH } from './load.js';
import { parseEpss } from './parse-epss.js';
import { parseKev } from './parse-kev.js';
import { buildSnapshot, serializeSnapshot, snapshotSchema } from './snapshot.js';
import type { IntelRecord } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('the shipped snapshot holds the whole KEV catalog 2025.08.25 with EPSS and CVSS', async () => {
  const intel = await loadIntel();
  assert.equal(intel.origin, 'shipped');
  const { kev, epss, cvss } = intel.snapshot;
  assert.equal(kev.catalog_version, '2025.08.25');
  assert.equal(kev.count, 1404);
  assert.equal(kev.rows.length, 1404);
  assert.equal(kev.rows.filter((r) => r[3]).length, 293, 'KEV lists 293 CVEs with known ransomware use');
  assert.equal(epss.count, 1404);
  assert.equal(epss.score_date, '2025-08-26');
  assert.equal(cvss.count, 1401, 'three KEV CVEs have no NVD CVSS v3 score');
  assert.match(kev.source, /cisagov\/kev-data@/);
});

test('the shipped snapshot agrees with the real-CVE facts the priority tests use', async () => {
  const intel = await loadIntel();
  const facts: { cves: Array<IntelRecord & { what: string }> } = JSON.parse(
    readFileSync(new URL('../finding/fixtures/real-cves.json', import.meta.url), 'utf8'),
  );
  for (const fact of facts.cves.filter((f) => f.kev)) {
    const record = intel.lookup(fact.cve)!;
    assert.ok(record, fact.cve);
    assert.equal(record.kev?.date_added, fact.kev!.date_added, fact.cve);
    assert.equal(record.kev?.due_date, fact.kev!.due_date, fact.cve);
    assert.equal(record.kev?.known_ransomware_use, fact.kev!.known_ransomware_use, fact.cve);
    assert.equal(record.epss?.score, fact.epss!.score, fact.cve);
    assert.equal(record.epss?.percentile, fact.epss!.percentile, fact.cve);
    assert.equal(record.cvss, fact.cvss, fact.cve);
  }
  // the non-KEV CVEs of the fixture are not in the shipped (KEV-only) snapshot
  assert.equal(intel.lookup('CVE-2022-29824'), undefined);
});

test('a snapshot survives writing and reading: serialised text validates and equals the original', async () => {
  const snapshot = buildSnapshot({
    kev: { catalog: parseKev(fixture('kev-sample.csv'), 'kev.csv'), source: 'kev.csv' },
    epss: { feed: parseEpss(fixture('epss-kev-nvd-sample.csv'), 'epss_2025-08-26.csv'), source: 'epss.csv' },
    generatedAt: new Date('2025-09-01T00:00:00Z'),
  });
  const text = serializeSnapshot(snapshot);
  assert.deepEqual(snapshotSchema.parse(JSON.parse(text)), snapshot);
  assert.deepEqual(
    snapshot.kev.rows.map((r) => r[0]),
    ['CVE-2021-44228', 'CVE-2023-4966', 'CVE-2024-8068', 'CVE-2025-48384'],
    'rows sorted by CVE',
  );
  // one row per line keeps refresh diffs readable
  assert.ok(text.includes('\n      ["CVE-2021-44228",'));
  assert.deepEqual((await readSnapshotFile(SHIPPED_SNAPSHOT_PATH)).format, 'arx-intel/1');
});

test('enrichment fills EPSS, KEV and missing CVSS, and keeps the scanner CVSS', () => {
  const lookup = indexSnapshot(
    buildSnapshot({
      kev: { catalog: parseKev(fixture('kev-sample.json'), 'kev.json'), source: 'kev.json' },
      epss: { feed: parseEpss(fixture('epss-kev-nvd-sample.csv'), 'e.csv'), source: 'e.csv' },
      generatedAt: new Date(),
    }),
  ).lookup;
  assert.deepEqual(enrichVulnerability({ cve_uid: 'CVE-2021-44228', cvss_score: 9 }, lookup), {
    cve_uid: 'CVE-2021-44228',
    cvss_score: 9,
    epss_score: 0.94358,
    epss_percentile: 0.99957,
    kev: { date_added: '2021-12-10', due_date: '2021-12-24', known_ransomware_use: true },
  });
  assert.equal(enrichVulnerability({ cve_uid: 'CVE-2025-48384' }, lookup).cvss_score, 8);
  const unknown = { cve_uid: 'CVE-2020-0001' };
  assert.equal(enrichVulnerability(unknown, lookup), unknown);
});
