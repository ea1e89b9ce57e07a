import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { TestClock } from '../clock.js';
import type { IntelLookup, IntelRecord } from '../intel/types.js';
import type { Priority, Severity } from './model.js';
import { PRIORITY_VERSION, type PriorityInput, scorePriority } from './priority.js';
import { PRIORITY_WEIGHTS, type PriorityWeights } from './priority-weights.js';

/** Real KEV/EPSS/CVSS facts (see `_source` in the file). */
const REAL: { cves: Array<IntelRecord & { what: string }> } = JSON.parse(
  readFileSync(new URL('./fixtures/real-cves.json', import.meta.url), 'utf8'),
);
const byCve = new Map(REAL.cves.map((r) => [r.cve, r]));
const intel: IntelLookup = (cve) => byCve.get(cve);
const fact = (cve: string) => byCve.get(cve)!;

// a week after the EPSS scores: CVE-2025-48384's KEV due date (2025-09-15) is 14 days away
const clock = new TestClock('2025-09-02T00:00:00Z');

type Context = PriorityInput['resource'];
const PROD_EXPOSED: Context = { environment: 'production', internet_exposed: true, criticality: 5 };
const DEV_INTERNAL: Context = { environment: 'dev', internet_exposed: false, criticality: 2 };

function vuln(cve: string, resource: Context, severity: Severity = 'critical'): PriorityInput {
  return { severity, resource, vulnerability: { cve_uid: cve } };
}
const score = (input: PriorityInput, lookup: IntelLookup | undefined = intel) =>
  scorePriority(input, lookup, clock);
const points = (p: Priority, name: string) => p.factors.find((f) => f.name === name)?.points;

function assertSums(p: Priority): void {
  const sum = p.factors.reduce((s, f) => s + f.points, 0);
  assert.ok(Math.abs(sum - p.score) < 1e-6, `factors sum to ${sum}, score is ${p.score}`);
  assert.ok(p.score >= 0 && p.score <= 100, `score ${p.score} out of bounds`);
}

test('Log4Shell (KEV, ransomware, EPSS 0.94) on exposed production is P1 and outranks the same CVE on internal dev', () => {
  const prod = score(vuln('CVE-2021-44228', PROD_EXPOSED));
  const dev = score(vuln('CVE-2021-44228', DEV_INTERNAL));
  assert.equal(prod.version, PRIORITY_VERSION);
  assert.equal(prod.label, 'P1');
  assert.ok(prod.score > dev.score + 15, `${prod.score} vs ${dev.score}`);
  assert.notEqual(dev.label, 'P1');
  assertSums(prod);
  assertSums(dev);
  // every factor is shown, with its input value
  assert.deepEqual(
    prod.factors.map((f) => f.name),
    [
      'severity',
      'cvss',
      'epss_score',
      'epss_percentile',
      'kev',
      'kev_ransomware',
      'kev_due_date',
      'internet_exposure',
      'environment',
      'business_criticality',
    ],
  );
  assert.equal(prod.factors.find((f) => f.name === 'epss_score')?.value, 0.94358);
  assert.equal(prod.factors.find((f) => f.name === 'kev_ransomware')?.value, true);
  assert.match(prod.factors.find((f) => f.name === 'kev_due_date')!.reason, /overdue/);
});

test('at equal CVSS 8.8 and equal context, EPSS 0.94 (libwebp) outranks EPSS 0.002 (WebKit)', () => {
  assert.equal(fact('CVE-2023-4863').cvss, fact('CVE-2024-23222').cvss);
  const high = score(vuln('CVE-2023-4863', PROD_EXPOSED, 'high'));
  const low = score(vuln('CVE-2024-23222', PROD_EXPOSED, 'high'));
  assert.ok(high.score > low.score + 10, `${high.score} vs ${low.score}`);
});

test('a KEV entry with EPSS 0.0002 (Git) still outranks a non-KEV CVE with higher EPSS in the same place', () => {
  const kevLow = score(vuln('CVE-2025-48384', PROD_EXPOSED, 'high'));
  const notKev = score(vuln('CVE-2022-29824', PROD_EXPOSED, 'high'));
  assert.ok(fact('CVE-2022-29824').epss!.score > fact('CVE-2025-48384').epss!.score);
  assert.ok(kevLow.score > notKev.score, `${kevLow.score} vs ${notKev.score}`);
  assert.match(kevLow.factors.find((f) => f.name === 'kev_due_date')!.reason, /14 days left/);
  assert.equal(points(kevLow, 'kev_due_date'), PRIORITY_WEIGHTS.kevDueNear);
  assert.equal(points(notKev, 'kev'), 0);
  assert.equal(notKev.factors.find((f) => f.name === 'epss_percentile')?.value, null);
});

test('ransomware use breaks a tie between KEV entries with near-equal EPSS', () => {
  // CVE-2017-0144 (EternalBlue, ransomware) and CVE-2023-4863 (libwebp, no known ransomware): CVSS 8.8 both
  const eternalBlue = score(vuln('CVE-2017-0144', PROD_EXPOSED, 'high'));
  const webp = score(vuln('CVE-2023-4863', PROD_EXPOSED, 'high'));
  assert.ok(eternalBlue.score > webp.score);
  assert.equal(points(eternalBlue, 'kev_ransomware'), PRIORITY_WEIGHTS.kevRansomware);
});

test('CVSS comes from intel when the scanner gave none, and is shown as unknown when nobody knows it', () => {
  const withCvss = score(vuln('CVE-2024-8068', {}));
  assert.equal(withCvss.factors.find((f) => f.name === 'cvss')?.value, 8);
  assert.match(withCvss.factors.find((f) => f.name === 'cvss')!.reason, /intel/);
  const noCvss = score(vuln('CVE-2024-8069', {}));
  assert.equal(noCvss.factors.find((f) => f.name === 'cvss')?.value, null);
  assertSums(noCvss);
});

test('the scanner CVSS wins, intel EPSS and KEV win over what the scanner copied', () => {
  const p = score({
    severity: 'critical',
    resource: {},
    vulnerability: { cve_uid: 'CVE-2024-3400', cvss_score: 9.1, epss_score: 0.5, epss_percentile: 0.5 },
  });
  assert.equal(p.factors.find((f) => f.name === 'cvss')?.value, 9.1);
  assert.equal(p.factors.find((f) => f.name === 'epss_score')?.value, fact('CVE-2024-3400').epss!.score);
  assert.equal(p.factors.find((f) => f.name === 'kev')?.value, true);
});

test('without intel, the facts the scanner supplied are used', () => {
  const p = scorePriority(
    {
      severity: 'critical',
      resource: PROD_EXPOSED,
      vulnerability: {
        cve_uid: 'CVE-2023-34362',
        cvss_score: 9.8,
        epss_score: 0.94307,
        epss_percentile: 0.9994,
        kev: { date_added: '2023-06-02', due_date: '2023-06-23', known_ransomware_use: true },
      },
    },
    undefined,
    clock,
  );
  const fromIntel = score(vuln('CVE-2023-34362', PROD_EXPOSED));
  assert.equal(p.score, fromIntel.score);
  assert.deepEqual(
    p.factors.map((f) => [f.name, f.value, f.points]),
    fromIntel.factors.map((f) => [f.name, f.value, f.points]),
  );
  assert.match(p.factors.find((f) => f.name === 'epss_score')!.reason, /scanner/);
});

test('misconfigurations: severity stands in for the exploit factors, so a critical exposed prod finding is P1', () => {
  const bucket = scorePriority({ severity: 'critical', resource: PROD_EXPOSED }, intel, clock);
  assert.equal(bucket.label, 'P1');
  assert.equal(points(bucket, 'kev'), 0);
  assert.equal(bucket.factors.find((f) => f.name === 'kev')!.value, null);
  const lowDev = scorePriority({ severity: 'low', resource: DEV_INTERNAL }, intel, clock);
  assert.equal(lowDev.label, 'P4');
  assertSums(bucket);
});

test('environment: production > staging > development > ..., spelled as teams spell it, from tags too', () => {
  const env = (resource: Context) => scorePriority({ severity: 'high', resource }, undefined, clock).score;
  assert.ok(env({ environment: 'PROD' }) > env({ environment: 'uat' }));
  assert.ok(env({ environment: 'uat' }) > env({ environment: 'sandbox' }));
  assert.equal(env({ tags: { Environment: 'prd' } }), env({ environment: 'production' }));
  const unknown = scorePriority({ severity: 'high', resource: { environment: 'blue' } }, undefined, clock);
  assert.match(unknown.factors.find((f) => f.name === 'environment')!.reason, /"blue" not recognised/);
});

test('custom weights that overflow are capped with a visible factor', () => {
  const heavy: PriorityWeights = { ...PRIORITY_WEIGHTS, kev: 80 };
  const p = scorePriority(vuln('CVE-2021-44228', PROD_EXPOSED), intel, clock, heavy);
  assert.equal(p.score, 100);
  assert.ok(points(p, 'cap')! < 0);
  assertSums(p);
});

// --- properties -------------------------------------------------------------------------------------------

const severity = fc.constantFrom<Severity>('informational', 'low', 'medium', 'high', 'critical');
const context = fc.record(
  {
    environment: fc.constantFrom('production', 'staging', 'dev', 'weird'),
    internet_exposed: fc.boolean(),
    criticality: fc.integer({ min: 1, max: 5 }),
  },
  { requiredKeys: [] },
);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const kevFacts = fc.record({
  date_added: fc.constant('2024-01-10'),
  due_date: fc.constantFrom('2024-01-31', '2025-09-10', '2026-03-01'),
  known_ransomware_use: fc.boolean(),
});
const cvss = fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: undefined });

test('property: raising EPSS (score and percentile) never lowers the score', () => {
  fc.assert(
    fc.property(severity, context, cvss, unit, unit, unit, unit, (sev, resource, c, e1, e2, p1, p2) => {
      const at = (epss_score: number, epss_percentile: number) =>
        scorePriority(
          {
            severity: sev,
            resource,
            vulnerability: { cve_uid: 'CVE-2024-0001', cvss_score: c, epss_score, epss_percentile },
          },
          undefined,
          clock,
        ).score;
      assert.ok(at(Math.max(e1, e2), Math.max(p1, p2)) >= at(Math.min(e1, e2), Math.min(p1, p2)));
    }),
  );
});

test('property: adding KEV never lowers the score, whatever the rest', () => {
  fc.assert(
    fc.property(severity, context, cvss, unit, unit, kevFacts, (sev, resource, c, e, p, kev) => {
      const base = { cve_uid: 'CVE-2024-0001', cvss_score: c, epss_score: e, epss_percentile: p };
      const without = scorePriority({ severity: sev, resource, vulnerability: base }, undefined, clock);
      const withKev = scorePriority(
        { severity: sev, resource, vulnerability: { ...base, kev } },
        undefined,
        clock,
      );
      assert.ok(withKev.score >= without.score);
      if (without.score < 100) assert.ok(withKev.score > without.score);
    }),
  );
});

test('property: scores stay in 0–100, factors add up to the score, labels follow thresholds (any weights)', () => {
  const scale = fc.double({ min: 0, max: 4, noNaN: true });
  fc.assert(
    fc.property(
      severity,
      context,
      fc.boolean(),
      cvss,
      unit,
      unit,
      fc.option(kevFacts, { nil: undefined }),
      scale,
      (sev, resource, isVuln, c, e, p, kev, k) => {
        const weights: PriorityWeights = {
          ...PRIORITY_WEIGHTS,
          kev: PRIORITY_WEIGHTS.kev * k,
          epssScoreMax: PRIORITY_WEIGHTS.epssScoreMax * k,
        };
        const input: PriorityInput = isVuln
          ? {
              severity: sev,
              resource,
              vulnerability: {
                cve_uid: 'CVE-2024-0001',
                cvss_score: c,
                epss_score: e,
                epss_percentile: p,
                kev,
              },
            }
          : { severity: sev, resource };
        const result = scorePriority(input, undefined, clock, weights);
        assertSums(result);
        const expected = PRIORITY_WEIGHTS.labels.find((l) => result.score >= l.min)!.label;
        assert.equal(result.label, expected);
      },
    ),
  );
});
